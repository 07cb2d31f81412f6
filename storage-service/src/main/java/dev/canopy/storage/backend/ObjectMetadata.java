package dev.canopy.storage.backend;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a client set on an object besides its bytes, returned unchanged on GET and HEAD.
 *
 * @param contentType never null; S3's default is {@code binary/octet-stream}
 * @param contentEncoding null when absent; never contains the transport-only {@code aws-chunked}
 * @param userMetadata {@code x-amz-meta-*} values keyed by the name after the prefix, lower case
 */
public record ObjectMetadata(
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String cacheControl,
    String contentLanguage,
    String expires,
    Map<String, String> userMetadata) {

  public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

  public ObjectMetadata {
    contentType = contentType == null || contentType.isEmpty() ? DEFAULT_CONTENT_TYPE : contentType;
    // Sorted so that manifests and responses are deterministic.
    userMetadata = userMetadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(userMetadata));
  }

  public static ObjectMetadata empty() {
    return new ObjectMetadata(null, null, null, null, null, null, Map.of());
  }
}
