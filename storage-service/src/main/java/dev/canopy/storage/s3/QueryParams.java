package dev.canopy.storage.s3;

import dev.canopy.api.http.UriEncoding;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded S3 query string. Parameters without '=' (sub-resources such as {@code ?acl}) map to
 * "". Unlike EC2's {@link dev.canopy.api.query.QueryParams} (a multimap), a repeated name keeps
 * its first value, and a bad escape is S3's InvalidURI.
 */
final class QueryParams {

  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  static QueryParams parse(String rawQuery) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> pair : UriEncoding.splitRaw(rawQuery)) {
      values.putIfAbsent(decode(pair.getKey()), decode(pair.getValue())); // the first occurrence wins, as in S3
    }
    return new QueryParams(Collections.unmodifiableMap(values));
  }

  /** '+' is a space here, as S3 reads query strings (the SDKs send a literal '+' as %2B). */
  private static String decode(String raw) {
    try {
      return UriEncoding.decode(raw, true);
    } catch (IllegalArgumentException e) {
      throw RequestTarget.invalidUri();
    }
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  String getOrEmpty(String name) {
    return values.getOrDefault(name, "");
  }

  Map<String, String> asMap() {
    return values;
  }
}
