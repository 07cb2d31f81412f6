package dev.canopy.storage.s3;

import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * The Access-Control-* headers a matching CORS rule puts on an answer. On actual requests they
 * are set before authentication, so they are on every answer that follows, errors included: a
 * browser may then show S3's error document to the page instead of an opaque network failure.
 */
final class CorsHeaders {

  /** What a CORS answer depends on, so caches keep one answer per origin and request. */
  static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

  private final BucketRegistry registry;
  private final BucketConfigs configs;

  CorsHeaders(BucketRegistry registry, BucketConfigs configs) {
    this.registry = registry;
    this.configs = configs;
  }

  /**
   * On a worker, before authentication: the headers of the first rule that allows the request's
   * Origin and method, when it has an Origin and addresses a bucket with a CORS configuration.
   */
  void applyTo(S3Exchange ex) {
    String origin = ex.header("Origin");
    if (origin == null || ex.target.bucket() == null) {
      return;
    }
    registry.find(ex.target.bucket())
        .flatMap(bucket -> configs.get(bucket, CorsHandlers.DOCUMENT))
        .map(CorsXml::parseStored)
        .ifPresent(config -> {
          ex.response.putHeader("Vary", VARY);
          config.firstMatch(origin, ex.head.method(), List.of()).ifPresent(rule -> write(ex.response, rule, origin));
        });
  }

  /**
   * S3 answers {@code *} for a rule that admits any origin, and otherwise names the origin and
   * allows credentials (cookies, HTTP authentication) with it.
   */
  static void write(HttpServerResponse response, CorsRule rule, String origin) {
    if (rule.allowsAnyOrigin()) {
      response.putHeader("Access-Control-Allow-Origin", "*");
    } else {
      response.putHeader("Access-Control-Allow-Origin", origin);
      response.putHeader("Access-Control-Allow-Credentials", "true");
    }
    response.putHeader("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
    if (!rule.exposeHeaders().isEmpty()) {
      response.putHeader("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
    }
    if (rule.maxAgeSeconds() != null) {
      response.putHeader("Access-Control-Max-Age", Integer.toString(rule.maxAgeSeconds()));
    }
    response.putHeader("Vary", VARY);
  }
}
