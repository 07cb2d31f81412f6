package dev.canopy.storage.s3;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A decoded query string. Parameters without '=' (sub-resources such as {@code ?acl}) map to "". */
final class QueryParams {

  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  static QueryParams parse(String rawQuery) {
    Map<String, String> values = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        values.putIfAbsent(name, value); // the first occurrence wins, as in S3
      }
    }
    return new QueryParams(Collections.unmodifiableMap(values));
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new dev.canopy.api.error.AwsException(400, "InvalidURI", "Couldn't parse the specified URI.");
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
