package dev.canopy.storage.s3;

import dev.canopy.storage.backend.DeleteOutcome;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.s3.xml.XmlWriter;
import java.util.List;

/** S3 response documents other than listings (see {@link ListXml}). */
final class S3Xml {

  static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  private S3Xml() {}

  static String listBuckets(String accountId, List<BucketRecord> buckets) {
    XmlWriter xml = XmlWriter.document("ListAllMyBucketsResult", NAMESPACE);
    owner(xml, "Owner", accountId);
    xml.start("Buckets");
    for (BucketRecord bucket : buckets) {
      xml.start("Bucket")
          .element("Name", bucket.name())
          .element("CreationDate", HttpDates.xml(bucket.createdAt()))
          .element("BucketRegion", bucket.region())
          .end();
    }
    return xml.finish();
  }

  static void owner(XmlWriter xml, String element, String accountId) {
    xml.start(element).element("ID", accountId).element("DisplayName", accountId).end();
  }

  /** us-east-1 is reported as an empty constraint, as S3 does for historical reasons. */
  static String location(String region) {
    return XmlWriter.document("LocationConstraint", NAMESPACE)
        .text(region.equals("us-east-1") ? "" : region)
        .finish();
  }

  /** Buckets and objects are private to their owner: one FULL_CONTROL grant. */
  static String ownerOnlyAcl(String accountId) {
    XmlWriter xml = XmlWriter.document("AccessControlPolicy", NAMESPACE);
    owner(xml, "Owner", accountId);
    return xml.start("AccessControlList")
        .start("Grant")
        .start("Grantee", "xmlns:xsi", XSI, "xsi:type", "CanonicalUser")
        .element("ID", accountId)
        .element("DisplayName", accountId)
        .end()
        .element("Permission", "FULL_CONTROL")
        .finish();
  }

  /** Versioning was never enabled: an empty configuration. */
  static String versioning() {
    return XmlWriter.document("VersioningConfiguration", NAMESPACE).finish();
  }

  static String initiateMultipartUpload(String bucket, String key, String uploadId) {
    return XmlWriter.document("InitiateMultipartUploadResult", NAMESPACE)
        .element("Bucket", bucket)
        .element("Key", key)
        .element("UploadId", uploadId)
        .finish();
  }

  static String completeMultipartUpload(String location, String bucket, String key, String etag) {
    return XmlWriter.document("CompleteMultipartUploadResult", NAMESPACE)
        .element("Location", location)
        .element("Bucket", bucket)
        .element("Key", key)
        .element("ETag", quote(etag))
        .finish();
  }

  static String copyObject(ObjectInfo info) {
    return XmlWriter.document("CopyObjectResult", NAMESPACE)
        .element("LastModified", HttpDates.xml(info.lastModified()))
        .element("ETag", quote(info.etag()))
        .finish();
  }

  static String deleteResult(List<DeleteOutcome> outcomes, boolean quiet, String requestId) {
    XmlWriter xml = XmlWriter.document("DeleteResult", NAMESPACE);
    for (DeleteOutcome outcome : outcomes) {
      if (outcome.error() == null) {
        if (!quiet) {
          xml.start("Deleted").element("Key", outcome.key()).end();
        }
      } else {
        xml.start("Error")
            .element("Key", outcome.key())
            .element("Code", outcome.error().code())
            .element("Message", outcome.error().getMessage())
            .end();
      }
    }
    return xml.finish();
  }

  static String quote(String etag) {
    return "\"" + etag + "\"";
  }
}
