package dev.canopy.storage.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** Dates on the S3 wire: HTTP dates in headers, ISO 8601 with milliseconds in XML. */
final class HttpDates {

  // RFC_1123_DATE_TIME prints one-digit days ("Tue, 3 Jun"); HTTP dates need two (RFC 9110).
  private static final DateTimeFormatter HTTP =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter XML =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US).withZone(ZoneOffset.UTC);

  private HttpDates() {}

  static String http(Instant instant) {
    return HTTP.format(instant);
  }

  static String xml(Instant instant) {
    return XML.format(instant);
  }

  /** Parses an HTTP date; empty when absent or unparseable (such headers are ignored). */
  static Optional<Instant> parseHttp(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim())));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** HTTP dates have whole seconds, so comparisons against them must too. */
  static Instant seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }
}
