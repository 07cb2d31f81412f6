package dev.canopy.cloud.usageapi;

import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.QueryValues;
import dev.canopy.cloud.metering.usage.Step;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The range and step of a series request: {@code from} and {@code to} as ISO-8601 instants or epoch
 * seconds, to the second ({@code to} defaults to now, {@code from} to an hour before {@code to}, never
 * before 1970), {@code step} in seconds, one of {@link Step} (default a minute). Points stamped in
 * {@code (from, to]} count.
 */
record SeriesRange(long fromSecond, long toSecond, Step step) {

  /** Bounds what one answer holds (and what one request makes the store read): widen the step for more. */
  static final long PERIODS_PER_ANSWER_MAX = 10_000;
  static final long RANGE_SECONDS_DEFAULT = 3_600;
  static final Step STEP_DEFAULT = Step.MINUTE;
  /** Epoch seconds: 12 digits reach the year 33658, and cannot overflow. */
  private static final Pattern EPOCH_SECONDS = Pattern.compile("[0-9]{1,12}");
  private static final Pattern STEP_SECONDS = Pattern.compile("[0-9]{1,6}");

  static SeriesRange parse(MultiMap params, long nowSecond) {
    long to = params.get("to") == null ? nowSecond : second(params.get("to"), "to");
    long from = params.get("from") == null ? Math.max(0, to - RANGE_SECONDS_DEFAULT) : second(params.get("from"), "from");
    if (from >= to) {
      throw ApiError.invalidParameter("from must be before to");
    }
    Step step = step(params.get("step"));
    long periods = (step.periodStart(to) - step.periodStart(from + 1)) / step.seconds() + 1;
    if (periods > PERIODS_PER_ANSWER_MAX) {
      throw ApiError.invalidParameter("from-to at step " + step.seconds() + " s is " + periods + " periods; at most "
          + PERIODS_PER_ANSWER_MAX + " per answer: use a larger step or a shorter range");
    }
    return new SeriesRange(from, to, step);
  }

  private static long second(String value, String name) {
    if (EPOCH_SECONDS.matcher(value).matches()) {
      return Long.parseLong(value);
    }
    try {
      long second = Instant.parse(value).getEpochSecond();
      if (second >= 0) {
        return second;
      }
    } catch (DateTimeParseException e) {
      // answered below, as any other value that is not an instant
    }
    throw ApiError.invalidParameter(name + " must be an ISO-8601 instant (2026-12-01T00:00:00Z) or epoch seconds, got "
        + QueryValues.shown(value));
  }

  private static Step step(String value) {
    if (value == null) {
      return STEP_DEFAULT;
    }
    return (STEP_SECONDS.matcher(value).matches() ? Step.ofSeconds(Long.parseLong(value)) : java.util.Optional.<Step>empty())
        .orElseThrow(() -> ApiError.invalidParameter("step must be one of "
            + Arrays.stream(Step.values()).map(s -> Long.toString(s.seconds())).toList() + " seconds, got " + QueryValues.shown(value)));
  }
}
