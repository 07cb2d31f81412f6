package dev.canopy.storage.s3;

import io.vertx.core.Future;
import java.util.Arrays;
import java.util.List;

/**
 * {@code OPTIONS /bucket[/key]}: a browser asks whether a cross-origin request may be sent. The
 * request is unauthenticated by definition (a browser sends no credentials with a preflight); the
 * answer reveals only what the bucket's CORS rules say about the asking origin. Preflights count
 * against the bucket owner's request rate, since nobody else is known.
 */
final class CorsPreflight {

  private final BucketRegistry registry;
  private final BucketConfigs configs;

  CorsPreflight(BucketRegistry registry, BucketConfigs configs) {
    this.registry = registry;
    this.configs = configs;
  }

  Future<Void> answer(S3Exchange ex) {
    String origin = ex.header("Origin");
    String method = ex.header("Access-Control-Request-Method");
    List<String> requestedHeaders = requestedHeaders(ex.header("Access-Control-Request-Headers"));
    return ex.blocking(() -> {
      if (origin == null) {
        throw CorsErrors.missingOrigin();
      }
      if (method == null || !CorsRule.METHODS.contains(method)) {
        throw CorsErrors.invalidRequestMethod(method);
      }
      BucketRecord bucket = registry.find(ex.target.bucket()).orElseThrow(CorsErrors::bucketNotFound);
      ex.gate().admitRequest(bucket.ownerAccountId());
      CorsConfiguration config = configs.get(bucket, CorsHandlers.DOCUMENT).map(CorsXml::parseStored)
          .orElseThrow(CorsErrors::notEnabled);
      return config.firstMatch(origin, method, requestedHeaders).orElseThrow(CorsErrors::notAllowed);
    }).map(rule -> {
      CorsHeaders.write(ex.response, rule, origin);
      if (!requestedHeaders.isEmpty()) {
        ex.response.putHeader("Access-Control-Allow-Headers", String.join(", ", requestedHeaders));
      }
      ex.sendEmpty(200);
      return null;
    });
  }

  private static List<String> requestedHeaders(String header) {
    if (header == null) {
      return List.of();
    }
    return Arrays.stream(header.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
  }
}
