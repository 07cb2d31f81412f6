package dev.canopy.storage.s3;

import dev.canopy.api.xml.XmlWriter;
import dev.canopy.storage.backend.ObjectVersion;
import dev.canopy.storage.backend.VersionsPage;
import dev.canopy.storage.backend.VersionsQuery;
import java.util.function.UnaryOperator;

/** The {@code ListVersionsResult} document of ListObjectVersions. */
final class ListVersionsXml {

  private ListVersionsXml() {}

  /** @param urlEncoding {@code encoding-type=url}: keys and prefixes form-encoded, as ListObjects does */
  static String render(String bucket, VersionsQuery query, boolean urlEncoding, VersionsPage page, String ownerId) {
    UnaryOperator<String> enc = ListXml.encoder(urlEncoding);
    XmlWriter xml = S3Xml.document("ListVersionsResult")
        .element("Name", bucket)
        .element("Prefix", enc.apply(query.prefix()))
        .element("KeyMarker", enc.apply(query.keyMarker()))
        .element("VersionIdMarker", query.versionIdMarker())
        .element("MaxKeys", query.maxKeys())
        .optionalElement("Delimiter", query.delimiter().isEmpty() ? null : enc.apply(query.delimiter()))
        .optionalElement("EncodingType", urlEncoding ? "url" : null)
        .element("IsTruncated", page.truncated())
        .optionalElement("NextKeyMarker", enc.apply(page.nextKeyMarker()))
        .optionalElement("NextVersionIdMarker", page.nextVersionIdMarker());
    for (ObjectVersion version : page.versions()) {
      xml.start(version.deleteMarker() ? "DeleteMarker" : "Version")
          .element("Key", enc.apply(version.key()))
          .element("VersionId", version.versionId())
          .element("IsLatest", version.latest())
          .element("LastModified", HttpDates.xml(version.lastModified()));
      if (!version.deleteMarker()) {
        xml.element("ETag", S3Xml.quote(version.etag()))
            .element("Size", version.size())
            .element("StorageClass", "STANDARD");
      }
      S3Xml.owner(xml, "Owner", ownerId);
      xml.end();
    }
    for (String prefix : page.commonPrefixes()) {
      xml.start("CommonPrefixes").element("Prefix", enc.apply(prefix)).end();
    }
    return xml.end().toString();
  }
}
