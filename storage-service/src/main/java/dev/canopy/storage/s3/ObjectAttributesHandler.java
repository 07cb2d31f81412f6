package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.storage.backend.ListQuery;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectInfo;
import io.vertx.core.Future;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * GetObjectAttributes ({@code GET /bucket/key?attributes}): the attributes the
 * {@code x-amz-object-attributes} header names, and only those, from the object's head. A
 * multipart object's parts are paged by {@code x-amz-max-parts} and
 * {@code x-amz-part-number-marker}, numbered by their position in the object (as
 * {@code ?partNumber} reads them); parts carry no checksums, since none are stored per part.
 */
final class ObjectAttributesHandler {

  /** The attribute names S3 accepts in {@code x-amz-object-attributes}. */
  enum Attribute { ETag, Checksum, ObjectParts, StorageClass, ObjectSize }

  private static final String ATTRIBUTES_HEADER = "x-amz-object-attributes";

  private final ObjectBackend backend;

  ObjectAttributesHandler(ObjectBackend backend) {
    this.backend = backend;
  }

  Future<Void> getObjectAttributes(S3Exchange ex) {
    Set<Attribute> wanted = attributes(ex.request.headers().getAll(ATTRIBUTES_HEADER));
    int maxParts = nonNegativeOr(ex.header("x-amz-max-parts"), ListQuery.KEYS_PER_LISTING_MAX);
    int marker = nonNegativeOr(ex.header("x-amz-part-number-marker"), 0);
    String bucketId = ex.bucket().id();
    return ex.blocking(() -> backend.head(bucketId, ex.target.key())).map(found -> {
      ObjectInfo info = found.orElseThrow(S3Errors::noSuchKey);
      ex.response.putHeader("Last-Modified", HttpDates.http(info.lastModified()));
      ex.sendXml(200, render(info, wanted, Math.min(maxParts, ListQuery.KEYS_PER_LISTING_MAX), marker));
      return null;
    });
  }

  /** The header's comma-separated names (the SDKs join the list; it may also repeat). */
  static Set<Attribute> attributes(List<String> headerValues) {
    Set<Attribute> wanted = EnumSet.noneOf(Attribute.class);
    for (String value : headerValues) {
      for (String name : value.split(",")) {
        String trimmed = name.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        wanted.add(attribute(trimmed));
      }
    }
    if (wanted.isEmpty()) {
      throw S3Errors.invalidRequest(
          "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty");
    }
    return wanted;
  }

  private static Attribute attribute(String name) {
    for (Attribute attribute : Attribute.values()) {
      if (attribute.name().equals(name)) {
        return attribute;
      }
    }
    throw S3Errors.invalidArgument("Invalid attribute name specified.");
  }

  /** S3 ignores a paging header that is not a non-negative integer, as if it were absent. */
  private static int nonNegativeOr(String header, int absent) {
    if (header == null) {
      return absent;
    }
    try {
      int value = Integer.parseInt(header.trim());
      return value < 0 ? absent : value;
    } catch (NumberFormatException e) {
      return absent;
    }
  }

  static String render(ObjectInfo info, Set<Attribute> wanted, int maxParts, int marker) {
    XmlWriter xml = S3Xml.document("GetObjectAttributesResponse");
    if (wanted.contains(Attribute.ETag)) {
      xml.element("ETag", info.etag()); // unquoted here, unlike every other ETag S3 sends
    }
    if (wanted.contains(Attribute.Checksum) && !info.checksums().isEmpty()) {
      xml.start("Checksum");
      for (Map.Entry<String, String> checksum : info.checksums().entrySet()) {
        xml.element("Checksum" + checksum.getKey().toUpperCase(Locale.ROOT), checksum.getValue());
      }
      xml.element("ChecksumType", "FULL_OBJECT").end();
    }
    if (wanted.contains(Attribute.ObjectParts) && info.partCount() > 0) {
      parts(xml, info.partSizes(), maxParts, marker);
    }
    if (wanted.contains(Attribute.StorageClass)) {
      xml.element("StorageClass", "STANDARD");
    }
    if (wanted.contains(Attribute.ObjectSize)) {
      xml.element("ObjectSize", info.size());
    }
    return xml.end().toString();
  }

  /** The parts after {@code marker}, at most {@code maxParts} of them, as ListParts pages. */
  private static void parts(XmlWriter xml, List<Long> sizes, int maxParts, int marker) {
    int first = Math.min(marker, sizes.size()); // index of the first part listed
    int end = Math.min(sizes.size(), first + maxParts);
    // Nothing asked for is a complete answer, as ListParts answers max-parts=0.
    boolean truncated = maxParts > 0 && end < sizes.size();
    xml.start("ObjectParts")
        .element("PartsCount", sizes.size())
        .element("PartNumberMarker", marker)
        .element("NextPartNumberMarker", end > first ? end : marker)
        .element("MaxParts", maxParts)
        .element("IsTruncated", truncated);
    for (int i = first; i < end; i++) {
      xml.start("Part").element("PartNumber", i + 1).element("Size", sizes.get(i)).end();
    }
    xml.end();
  }
}
