package dev.canopy.storage.s3;

import io.vertx.core.Future;

/** PutBucketCors, GetBucketCors, DeleteBucketCors ({@code ?cors}): the bucket's "cors" document. */
final class CorsHandlers {

  static final String DOCUMENT = "cors";
  /** S3 caps a CORS configuration at 64 KB. */
  private static final int BODY_BYTES_MAX = 64 * 1024;

  private final BucketConfigs configs;

  CorsHandlers(BucketConfigs configs) {
    this.configs = configs;
  }

  Future<Void> put(S3Exchange ex) {
    BodyIntegrity.require(ex);
    BucketRecord bucket = ex.bucket();
    return ex.readSmallBody(BODY_BYTES_MAX).compose(body -> {
      String canonical = CorsXml.render(CorsXml.parse(body));
      return ex.blocking(() -> {
        configs.set(bucket, DOCUMENT, canonical);
        return null;
      });
    }).map(v -> {
      ex.sendEmpty(200);
      return null;
    });
  }

  Future<Void> get(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.blocking(() -> configs.get(bucket, DOCUMENT).orElseThrow(CorsErrors::noSuchConfiguration)).map(xml -> {
      ex.sendXml(200, xml);
      return null;
    });
  }

  Future<Void> delete(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.blocking(() -> {
      configs.set(bucket, DOCUMENT, null);
      return null;
    }).map(v -> {
      ex.sendEmpty(204);
      return null;
    });
  }
}
