package dev.canopy.storage.backend;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a client set on an object besides its bytes, returned unchanged on GET and HEAD.
 *
 * @param contentType never null; S3's default is {@code binary/octet-stream}
 * @param contentEncoding null when absent; never contains the transport-only {@code aws-chunked}
 * @param userMetadata {@code x-amz-meta-*} values keyed by the name after the prefix, lower case
 * @param tags the object's tag set (key → value), empty when none; set with the object or by
 *     PutObjectTagging, which rewrites it without touching the bytes
 * @param acl the object's access control list as the S3 layer serializes it (a canned ACL's name or
 *     its grants); null for {@code private}, S3's default
 */
public record ObjectMetadata(
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String cacheControl,
    String contentLanguage,
    String expires,
    Map<String, String> userMetadata,
    Map<String, String> tags,
    String acl) {

  public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

  public ObjectMetadata {
    contentType = contentType == null || contentType.isEmpty() ? DEFAULT_CONTENT_TYPE : contentType;
    // Sorted so that manifests and responses are deterministic.
    userMetadata = sorted(userMetadata);
    tags = sorted(tags);
  }

  /** Metadata without tags and with the default ACL. */
  public ObjectMetadata(
      String contentType, String contentEncoding, String contentDisposition, String cacheControl,
      String contentLanguage, String expires, Map<String, String> userMetadata) {
    this(contentType, contentEncoding, contentDisposition, cacheControl, contentLanguage, expires, userMetadata,
        Map.of(), null);
  }

  private static Map<String, String> sorted(Map<String, String> map) {
    return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(map));
  }

  public ObjectMetadata withTags(Map<String, String> newTags) {
    return new ObjectMetadata(contentType, contentEncoding, contentDisposition, cacheControl, contentLanguage, expires,
        userMetadata, newTags, acl);
  }

  public ObjectMetadata withAcl(String newAcl) {
    return new ObjectMetadata(contentType, contentEncoding, contentDisposition, cacheControl, contentLanguage, expires,
        userMetadata, tags, newAcl);
  }

  public static ObjectMetadata empty() {
    return new ObjectMetadata(null, null, null, null, null, null, Map.of());
  }
}
