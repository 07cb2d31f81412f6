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

  /** S3's limit on a bucket policy's size, counted without insignificant whitespace as S3 counts it. */
  static final int POLICY_BYTES_MAX = 20 * 1024;
  /** The body as sent may be indented; beyond this it cannot be a policy within the limit. */
  private static final int BODY_BYTES_MAX = 4 * POLICY_BYTES_MAX;

  private final BucketConfigs configs;
  private final AccessControl access;

  PolicyHandlers(BucketConfigs configs, AccessControl access) {
    this.configs = configs;
    this.access = access;
  }

  Future<Void> put(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    return ex.readSmallBody(BODY_BYTES_MAX)
        .map(body -> withinLimit(PolicyParser.canonical(new String(body, StandardCharsets.UTF_8), bucket.name())))
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

  private static String withinLimit(String policy) {
    if (policy.getBytes(StandardCharsets.UTF_8).length > POLICY_BYTES_MAX) {
      throw new AwsException(400, "MalformedPolicy", "Policies must be less than 20 KB");
    }
    return policy;
  }

  private static AwsException noSuchBucketPolicy() {
    return new AwsException(404, "NoSuchBucketPolicy", "The bucket policy does not exist");
  }
}
