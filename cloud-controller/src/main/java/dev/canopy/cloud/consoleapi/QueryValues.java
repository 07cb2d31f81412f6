package dev.canopy.cloud.consoleapi;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Query values the console APIs share, each refused with 400 {@code InvalidParameterValue} when malformed. */
public final class QueryValues {

  private static final Pattern MONTH = Pattern.compile("[0-9]{4}-[0-9]{2}");
  /** EC2's instance ids: 8 hex digits (the old form) or 17. */
  private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8}([0-9a-f]{9})?");

  /** Epoch seconds: 12 digits reach the year 33658, and cannot overflow. */
  private static final Pattern EPOCH_SECONDS = Pattern.compile("[0-9]{1,12}");

  private QueryValues() {}

  /** An instant as epoch seconds or ISO-8601 ({@code 2026-12-01T00:00:00Z}), to the second, never before 1970. */
  public static long epochSecond(String value, String name) {
    if (EPOCH_SECONDS.matcher(value).matches()) {
      return Long.parseLong(value);
    }
    try {
      long second = java.time.Instant.parse(value).getEpochSecond();
      if (second >= 0) {
        return second;
      }
    } catch (DateTimeParseException e) {
      // answered below, as any other value that is not an instant
    }
    throw ApiError.invalidParameter(name + " must be an ISO-8601 instant (2026-12-01T00:00:00Z) or epoch seconds, got "
        + shown(value));
  }

  /** A calendar month {@code YYYY-MM} (UTC when it is turned into instants). */
  public static YearMonth month(String value, String name) {
    if (value == null || !MONTH.matcher(value).matches()) {
      throw ApiError.invalidParameter(name + " must be a month as YYYY-MM, got " + shown(value));
    }
    try {
      return YearMonth.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiError.invalidParameter(name + " must be a month as YYYY-MM, got " + shown(value));
    }
  }

  public static boolean isInstanceId(String value) {
    return INSTANCE_ID.matcher(value).matches();
  }

  /** The value in a message: quoted, cut short, so an error never echoes a long or odd input whole. */
  public static String shown(String value) {
    if (value == null) {
      return "nothing";
    }
    String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
  }
}
