package dev.canopy.storage.s3;

import dev.canopy.api.xml.XmlWriter;
import dev.canopy.storage.backend.ListPage;
import dev.canopy.storage.backend.ObjectSummary;
import dev.canopy.storage.backend.PartInfo;
import dev.canopy.storage.backend.PartsPage;
import dev.canopy.storage.backend.UploadInfo;
import dev.canopy.storage.backend.UploadsPage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** Listing documents: ListObjects (v1, v2), ListParts, ListMultipartUploads. */
final class ListXml {

  /** What a ListObjects request asked for, echoed back in the result. */
  record Request(
      String bucket, String prefix, String delimiter, int maxKeys, boolean urlEncoding,
      String marker, String continuationToken, String startAfter, boolean fetchOwner, String ownerId) {}

  private ListXml() {}

  /**
   * With {@code encoding-type=url}, S3 form-encodes keys and prefixes (space as '+'), which is
   * what the SDKs and the CLI decode; it lets keys with characters XML 1.0 cannot carry through.
   */
  static UnaryOperator<String> encoder(boolean url) {
    return url ? s -> s == null ? null : URLEncoder.encode(s, StandardCharsets.UTF_8) : s -> s;
  }

  static String v2(Request request, ListPage page, String nextContinuationToken) {
    UnaryOperator<String> enc = encoder(request.urlEncoding());
    XmlWriter xml = S3Xml.document("ListBucketResult")
        .element("Name", request.bucket())
        .element("Prefix", enc.apply(request.prefix()))
        .optionalElement("Delimiter", request.delimiter().isEmpty() ? null : enc.apply(request.delimiter()))
        .element("MaxKeys", request.maxKeys())
        .optionalElement("EncodingType", request.urlEncoding() ? "url" : null)
        .element("KeyCount", page.keyCount())
        .element("IsTruncated", page.truncated())
        .optionalElement("ContinuationToken", request.continuationToken())
        .optionalElement("NextContinuationToken", nextContinuationToken)
        .optionalElement("StartAfter", request.startAfter() == null ? null : enc.apply(request.startAfter()));
    contents(xml, page, enc, request.fetchOwner() ? request.ownerId() : null);
    return xml.end().toString();
  }

  static String v1(Request request, ListPage page) {
    UnaryOperator<String> enc = encoder(request.urlEncoding());
    XmlWriter xml = S3Xml.document("ListBucketResult")
        .element("Name", request.bucket())
        .element("Prefix", enc.apply(request.prefix()))
        .element("Marker", enc.apply(request.marker()))
        .element("MaxKeys", request.maxKeys())
        .optionalElement("Delimiter", request.delimiter().isEmpty() ? null : enc.apply(request.delimiter()))
        .optionalElement("EncodingType", request.urlEncoding() ? "url" : null)
        .element("IsTruncated", page.truncated())
        // S3 sends NextMarker only with a delimiter; clients fall back to the last key otherwise.
        .optionalElement("NextMarker", page.truncated() && !request.delimiter().isEmpty() ? enc.apply(page.lastItem()) : null);
    contents(xml, page, enc, request.ownerId());
    return xml.end().toString();
  }

  private static void contents(XmlWriter xml, ListPage page, UnaryOperator<String> enc, String ownerId) {
    for (ObjectSummary object : page.contents()) {
      xml.start("Contents")
          .element("Key", enc.apply(object.key()))
          .element("LastModified", HttpDates.xml(object.lastModified()))
          .element("ETag", S3Xml.quote(object.etag()))
          .element("Size", object.size())
          .element("StorageClass", "STANDARD");
      if (ownerId != null) {
        S3Xml.owner(xml, "Owner", ownerId);
      }
      xml.end();
    }
    for (String prefix : page.commonPrefixes()) {
      xml.start("CommonPrefixes").element("Prefix", enc.apply(prefix)).end();
    }
  }

  static String parts(String bucket, PartsPage page, int marker, int maxParts, String ownerId) {
    UploadInfo upload = page.upload();
    XmlWriter xml = S3Xml.document("ListPartsResult")
        .element("Bucket", bucket)
        .element("Key", upload.key())
        .element("UploadId", upload.uploadId());
    S3Xml.owner(xml, "Initiator", ownerId);
    S3Xml.owner(xml, "Owner", ownerId);
    xml.element("StorageClass", "STANDARD")
        .element("PartNumberMarker", marker)
        .element("NextPartNumberMarker", page.nextMarker())
        .element("MaxParts", maxParts)
        .element("IsTruncated", page.truncated());
    for (PartInfo part : page.parts()) {
      xml.start("Part")
          .element("PartNumber", part.partNumber())
          .element("LastModified", HttpDates.xml(part.lastModified()))
          .element("ETag", S3Xml.quote(part.etag()))
          .element("Size", part.size())
          .end();
    }
    return xml.end().toString();
  }

  /** What a ListMultipartUploads request asked for, echoed back in the result. */
  record UploadsRequest(
      String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker, int maxUploads,
      boolean urlEncoding, String ownerId) {}

  static String uploads(UploadsRequest request, UploadsPage page) {
    // With encoding-type=url, S3 encodes every key-like value: markers, prefix, delimiter, keys.
    UnaryOperator<String> enc = encoder(request.urlEncoding());
    String ownerId = request.ownerId();
    XmlWriter xml = S3Xml.document("ListMultipartUploadsResult")
        .element("Bucket", request.bucket())
        .element("KeyMarker", enc.apply(request.keyMarker()))
        .element("UploadIdMarker", request.uploadIdMarker())
        .element("Prefix", enc.apply(request.prefix()))
        .optionalElement("Delimiter", request.delimiter().isEmpty() ? null : enc.apply(request.delimiter()))
        .optionalElement("EncodingType", request.urlEncoding() ? "url" : null);
    if (page.truncated()) {
      xml.element("NextKeyMarker", enc.apply(page.nextKeyMarker()))
          .element("NextUploadIdMarker", page.nextUploadIdMarker());
    }
    xml.element("MaxUploads", request.maxUploads()).element("IsTruncated", page.truncated());
    for (UploadInfo upload : page.uploads()) {
      xml.start("Upload").element("Key", enc.apply(upload.key())).element("UploadId", upload.uploadId());
      S3Xml.owner(xml, "Initiator", ownerId);
      S3Xml.owner(xml, "Owner", ownerId);
      xml.element("StorageClass", "STANDARD")
          .element("Initiated", HttpDates.xml(upload.initiated()))
          .end();
    }
    for (String common : page.commonPrefixes()) {
      xml.start("CommonPrefixes").element("Prefix", enc.apply(common)).end();
    }
    return xml.end().toString();
  }
}
