package dev.canopy.api.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an HTTP request that a signature covers, independent of any HTTP library.
 *
 * @param method upper-case HTTP method
 * @param rawPath the path exactly as sent on the wire, still percent-encoded
 * @param rawQuery the query string exactly as sent, without '?', empty when absent
 * @param headers header names in lower case, values in arrival order
 */
public record RequestHead(
    String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

  /** The first value of a header (name in any case), if present. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
