package dev.canopy.storage.s3;

import java.util.List;
import java.util.Optional;

/**
 * A bucket's CORS rules, in the order the owner gave them: the first rule that matches a request
 * decides, as on S3.
 */
record CorsConfiguration(List<CorsRule> rules) {

  /** S3 takes at most 100 rules per bucket. */
  static final int RULES_MAX = 100;

  CorsConfiguration {
    rules = List.copyOf(rules);
  }

  /** The first rule allowing this origin, method and every one of the requested headers. */
  Optional<CorsRule> firstMatch(String origin, String method, List<String> requestedHeaders) {
    return rules.stream()
        .filter(rule -> rule.allowsOrigin(origin) && rule.allowsMethod(method) && rule.allowsHeaders(requestedHeaders))
        .findFirst();
  }
}
