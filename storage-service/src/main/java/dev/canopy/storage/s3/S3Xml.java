package dev.canopy.storage.s3;

import dev.canopy.api.xml.XmlWriter;
import dev.canopy.storage.backend.DeleteOutcome;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.PartInfo;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.s3.xml.SafeXml;
import java.util.List;
import org.w3c.dom.Element;

/**
 * S3 XML other than listings (see {@link ListXml}): response documents, and the document
 * element of request bodies.
 */
final class S3Xml {

  static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  private S3Xml() {}

  /** The document element of a request body, which must be {@code <root>}; MalformedXML otherwise. */
  static Element requestRoot(byte[] body, String root) {
    Element element;
    try {
      element = SafeXml.parse(body);
    } catch (SafeXml.MalformedException e) {
      throw StorageErrors.malformedXml();
    }
    if (!SafeXml.localName(element).equals(root)) {
      throw StorageErrors.malformedXml();
    }
    return element;
  }

  /** A response document: the XML declaration and {@code root} in the S3 namespace, left open. */
  static XmlWriter document(String root) {
    return new XmlWriter().start(root).attribute("xmlns", NAMESPACE);
  }

  static String listBuckets(String accountId, List<BucketRecord> buckets) {
    XmlWriter xml = document("ListAllMyBucketsResult");
    owner(xml, "Owner", accountId);
    xml.start("Buckets");
    for (BucketRecord bucket : buckets) {
      xml.start("Bucket")
          .element("Name", bucket.name())
          .element("CreationDate", HttpDates.xml(bucket.createdAt()))
          .optionalElement("BucketRegion", bucket.region())
          .end();
    }
    return xml.end().end().toString();
  }

  static void owner(XmlWriter xml, String element, String accountId) {
    xml.start(element).element("ID", accountId).element("DisplayName", accountId).end();
  }

  /** us-east-1 is reported as an empty constraint, as S3 does for historical reasons. */
  static String location(String region) {
    return document("LocationConstraint")
        .text(region.equals("us-east-1") ? "" : region)
        .end()
        .toString();
  }

  static String initiateMultipartUpload(String bucket, String key, String uploadId) {
    return document("InitiateMultipartUploadResult")
        .element("Bucket", bucket)
        .element("Key", key)
        .element("UploadId", uploadId)
        .end()
        .toString();
  }

  static String completeMultipartUpload(String location, String bucket, String key, String etag) {
    return document("CompleteMultipartUploadResult")
        .element("Location", location)
        .element("Bucket", bucket)
        .element("Key", key)
        .element("ETag", quote(etag))
        .end()
        .toString();
  }

  static String copyObject(ObjectInfo info) {
    return document("CopyObjectResult")
        .element("LastModified", HttpDates.xml(info.lastModified()))
        .element("ETag", quote(info.etag()))
        .end()
        .toString();
  }

  static String emptyTagging() {
    return document("Tagging").start("TagSet").end().end().toString();
  }

  static String copyPart(PartInfo part) {
    return document("CopyPartResult")
        .element("LastModified", HttpDates.xml(part.lastModified()))
        .element("ETag", quote(part.etag()))
        .end()
        .toString();
  }

  static String deleteResult(List<DeleteOutcome> outcomes, boolean quiet, String requestId) {
    XmlWriter xml = document("DeleteResult");
    for (DeleteOutcome outcome : outcomes) {
      if (outcome.error() == null) {
        if (!quiet) {
          boolean marker = outcome.deletion() != null && outcome.deletion().deleteMarker();
          xml.start("Deleted").element("Key", outcome.key())
              .optionalElement("VersionId", outcome.versionId())
              .optionalElement("DeleteMarker", marker ? "true" : null)
              .optionalElement("DeleteMarkerVersionId", marker ? outcome.deletion().versionId() : null)
              .end();
        }
      } else {
        xml.start("Error")
            .element("Key", outcome.key())
            .optionalElement("VersionId", outcome.versionId())
            .element("Code", outcome.error().code())
            .optionalElement("Message", outcome.error().getMessage())
            .end();
      }
    }
    return xml.end().toString();
  }

  static String quote(String etag) {
    return "\"" + etag + "\"";
  }
}
