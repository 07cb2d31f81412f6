package dev.canopy.api.auth;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/** The two time formats SigV4 reads: ISO 8601 basic ({@code 20240501T120000Z}) and RFC 1123. */
final class AmzDates {

  private static final DateTimeFormatter ISO_BASIC =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
          .withZone(ZoneOffset.UTC)
          .withResolverStyle(ResolverStyle.STRICT);

  private AmzDates() {}

  /** Parses an x-amz-date value; empty when it is not exactly ISO 8601 basic in UTC. */
  static Optional<Instant> parseAmzDate(String value) {
    if (value.length() != 16) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(ISO_BASIC.parse(value)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Parses an HTTP Date header (RFC 1123, as botocore sends it when asked for a Date header). */
  static Optional<Instant> parseHttpDate(String value) {
    try {
      return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Formats as ISO 8601 basic, the form every string to sign carries. */
  static String formatAmzDate(Instant instant) {
    return ISO_BASIC.format(instant);
  }
}
