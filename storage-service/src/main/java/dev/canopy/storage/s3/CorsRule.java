package dev.canopy.storage.s3;

import java.util.List;
import java.util.Locale;

/**
 * One rule of a bucket's CORS configuration. Origins match case-sensitively (a browser sends its
 * origin exactly), header names case-insensitively (HTTP header names); either may hold one
 * {@code *} standing for any run of characters.
 *
 * @param id null when the rule has none
 * @param maxAgeSeconds null when the rule sets none
 */
record CorsRule(
    String id, List<String> allowedMethods, List<String> allowedOrigins, List<String> allowedHeaders,
    List<String> exposeHeaders, Integer maxAgeSeconds) {

  /** The only methods a CORS rule may allow (S3's list). */
  static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "HEAD");

  CorsRule {
    allowedMethods = List.copyOf(allowedMethods);
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedHeaders = List.copyOf(allowedHeaders);
    exposeHeaders = List.copyOf(exposeHeaders);
  }

  boolean allowsOrigin(String origin) {
    return allowedOrigins.stream().anyMatch(pattern -> Wildcard.matches(pattern, origin));
  }

  boolean allowsMethod(String method) {
    return allowedMethods.contains(method);
  }

  /** Every requested header is allowed by some AllowedHeader. */
  boolean allowsHeaders(List<String> requested) {
    return requested.stream().map(h -> h.toLowerCase(Locale.ROOT)).allMatch(header -> allowedHeaders.stream()
        .anyMatch(pattern -> Wildcard.matches(pattern.toLowerCase(Locale.ROOT), header)));
  }

  /** The rule admits any origin: S3 then answers {@code *} and no credentials. */
  boolean allowsAnyOrigin() {
    return allowedOrigins.contains("*");
  }

  /** At most one {@code *}, standing for any (possibly empty) run of characters. */
  static final class Wildcard {
    private Wildcard() {}

    static boolean matches(String pattern, String value) {
      int star = pattern.indexOf('*');
      if (star < 0) {
        return pattern.equals(value);
      }
      String prefix = pattern.substring(0, star);
      String suffix = pattern.substring(star + 1);
      return value.length() >= prefix.length() + suffix.length() && value.startsWith(prefix) && value.endsWith(suffix);
    }

    static boolean hasAtMostOne(String pattern) {
      return pattern.indexOf('*') == pattern.lastIndexOf('*');
    }
  }
}
