package dev.canopy.cloud.consoles3;

import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.storage.s3.xml.SafeXml;
import java.util.List;
import org.w3c.dom.Element;

/**
 * S3's XML answers as the records the console sends the browser as JSON. Pure: bytes in, values out
 * (the S3 endpoint is the cloud's own, but its answers are parsed as untrusted XML all the same).
 */
final class S3Answers {

  private S3Answers() {}

  record Bucket(String name, String createdAt) {}

  record Buckets(List<Bucket> buckets) {}

  record StoredObject(String key, long size, String lastModified, String etag) {}

  /**
   * One page of a folder: the sub-folders ({@code CommonPrefixes} with the delimiter) and objects
   * directly in it, and the token of the next page when {@code truncated}.
   */
  record Listing(String bucket, String prefix, List<String> folders, List<StoredObject> objects, boolean truncated,
      String nextToken) {}

  /** ListBuckets' {@code ListAllMyBucketsResult}: names and creation dates (not the owner's id). */
  static Buckets buckets(byte[] xml) {
    Element root = parse(xml);
    List<Bucket> buckets = SafeXml.children(root, "Buckets").stream()
        .flatMap(list -> SafeXml.children(list, "Bucket").stream())
        .map(b -> new Bucket(text(b, "Name"), text(b, "CreationDate")))
        .toList();
    return new Buckets(buckets);
  }

  /** ListObjectsV2's {@code ListBucketResult}. */
  static Listing listing(byte[] xml) {
    Element root = parse(xml);
    List<String> folders = SafeXml.children(root, "CommonPrefixes").stream().map(p -> text(p, "Prefix")).toList();
    List<StoredObject> objects = SafeXml.children(root, "Contents").stream()
        .map(c -> new StoredObject(text(c, "Key"), Long.parseLong(text(c, "Size")), text(c, "LastModified"), text(c, "ETag")))
        .toList();
    boolean truncated = "true".equals(text(root, "IsTruncated"));
    String next = SafeXml.childText(root, "NextContinuationToken").orElse(null);
    return new Listing(text(root, "Name"), text(root, "Prefix"), folders, objects, truncated, truncated ? next : null);
  }

  /**
   * S3's refusal as the console's error: its code and message (from the {@code <Error>} body when
   * there is one; a HEAD or an empty body has only the status).
   */
  static ApiError error(int status, byte[] xml) {
    try {
      Element root = SafeXml.parse(xml);
      String code = SafeXml.childText(root, "Code").orElse(null);
      if (code != null) {
        return new ApiError(status, code, SafeXml.childText(root, "Message").orElse(code));
      }
    } catch (SafeXml.MalformedException e) {
      // not S3's error document: answered by its status below
    }
    return new ApiError(status, status == 404 ? "NotFound" : status == 403 ? "AccessDenied" : "S3Error",
        "S3 answered HTTP " + status);
  }

  private static Element parse(byte[] xml) {
    try {
      return SafeXml.parse(xml);
    } catch (SafeXml.MalformedException e) {
      throw new IllegalStateException("S3 answered with malformed XML", e);
    }
  }

  private static String text(Element parent, String name) {
    return SafeXml.childText(parent, name).orElse("");
  }
}
