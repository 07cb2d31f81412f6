package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.storage.s3.access.PolicyParser;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;

/**
 * Put/Get/DeleteBucketPolicy and GetBucketPolicyStatus ({@code ?policy}, {@code ?policyStatus}).
 * The policy is checked when stored ({@link PolicyParser}) and kept as its canonical JSON in the
 * bucket's {@code policy} configuration document.
 */
final class PolicyHandlers {

  /** S3's limit on a bucket policy's size. */
  static final int POLICY_BYTES_MAX = 20 * 1024;

  private final BucketConfigs configs;
  private final AccessControl access;

  PolicyHandlers(BucketConfigs configs, AccessControl access) {
    this.configs = configs;
    this.access = access;
  }

  Future<Void> put(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.readSmallBody(POLICY_BYTES_MAX)
        .map(body -> PolicyParser.canonical(new String(body, StandardCharsets.UTF_8), bucket.name()))
        .compose(policy -> ex.blocking(() -> {
          configs.set(bucket, AccessControl.POLICY_DOCUMENT, policy);
          return null;
        }))
        .map(v -> {
          ex.sendEmpty(204);
          return null;
        });
  }

  Future<Void> get(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.blocking(() -> configs.get(bucket, AccessControl.POLICY_DOCUMENT)).map(policy -> {
      ex.sendJson(200, policy.orElseThrow(PolicyHandlers::noSuchBucketPolicy));
      return null;
    });
  }

  /** 204 whether or not there was one, as S3 answers. */
  Future<Void> delete(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.blocking(() -> {
      configs.set(bucket, AccessControl.POLICY_DOCUMENT, null);
      return null;
    }).map(v -> {
      ex.sendEmpty(204);
      return null;
    });
  }

  /** Public when the policy allows anyone unconditionally (S3 looks at the policy only, not at ACLs). */
  Future<Void> status(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.blocking(() -> configs.get(bucket, AccessControl.POLICY_DOCUMENT)).map(policy -> {
      boolean isPublic = access.policy(bucket, policy.orElseThrow(PolicyHandlers::noSuchBucketPolicy)).isPublic();
      XmlWriter xml = S3Xml.document("PolicyStatus").element("IsPublic", Boolean.toString(isPublic));
      ex.sendXml(200, xml.end().toString());
      return null;
    });
  }

  private static AwsException noSuchBucketPolicy() {
    return new AwsException(404, "NoSuchBucketPolicy", "The bucket policy does not exist");
  }
}
