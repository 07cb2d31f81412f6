package dev.canopy.storage.s3.access;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The facts one request is judged on.
 *
 * @param requesterAccount the signer's account; null for an anonymous request
 * @param action the IAM action, e.g. {@code s3:GetObject}
 * @param resource the ARN acted on: {@code arn:aws:s3:::bucket} or {@code arn:aws:s3:::bucket/key}
 * @param context condition keys and their values ({@code aws:SourceIp}, {@code aws:SecureTransport},
 *     {@code s3:prefix}...), keys compared without case as IAM does; a key absent here is absent
 *     from the request
 */
public record AccessRequest(String requesterAccount, String action, String resource, Map<String, String> context) {

  public static final String SOURCE_IP = "aws:SourceIp";
  public static final String SECURE_TRANSPORT = "aws:SecureTransport";

  public AccessRequest {
    TreeMap<String, String> keys = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    keys.putAll(context);
    context = java.util.Collections.unmodifiableMap(keys);
  }

  /** The ARN of a bucket, or of a key in it when {@code key} is not null. */
  public static String arn(String bucket, String key) {
    return "arn:aws:s3:::" + bucket + (key == null ? "" : "/" + key);
  }

  public boolean isAnonymous() {
    return requesterAccount == null;
  }

  public Optional<String> value(String key) {
    return Optional.ofNullable(context.get(key));
  }
}
