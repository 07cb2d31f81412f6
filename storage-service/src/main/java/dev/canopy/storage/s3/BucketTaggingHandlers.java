package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import io.vertx.core.Future;
import java.util.Map;

/**
 * A bucket's tags: Get, Put and DeleteBucketTagging ({@code ?tagging} on a bucket), up to
 * {@link TagSets#BUCKET_TAGS_MAX}, kept as the bucket's {@value #DOCUMENT} document in the canonical
 * {@code <Tagging>} XML that GetBucketTagging answers. A bucket without tags answers 404
 * NoSuchTagSet; putting an empty set removes them, so it answers that too.
 */
final class BucketTaggingHandlers {

  static final String DOCUMENT = "tagging";

  private final BucketConfigs configs;

  BucketTaggingHandlers(BucketConfigs configs) {
    this.configs = configs;
  }

  Future<Void> get(S3Exchange ex) {
    return ex.blocking(() -> configs.get(ex.bucket(), DOCUMENT)).map(document -> {
      ex.sendXml(200, document.orElseThrow(
          () -> new AwsException(404, "NoSuchTagSet", "The TagSet does not exist")));
      return null;
    });
  }

  Future<Void> put(S3Exchange ex) {
    BodyIntegrity.require(ex);
    return ex.readSmallBody(TagSets.BODY_BYTES_MAX).compose(body -> {
      Map<String, String> tags = TagSets.fromXml(body, TagSets.BUCKET_TAGS_MAX);
      return store(ex, tags.isEmpty() ? null : TagSets.toXml(tags));
    });
  }

  Future<Void> delete(S3Exchange ex) {
    return store(ex, null);
  }

  private Future<Void> store(S3Exchange ex, String document) {
    return ex.blocking(() -> {
      configs.set(ex.bucket(), DOCUMENT, document);
      return null;
    }).map(v -> {
      ex.sendEmpty(204);
      return null;
    });
  }
}
