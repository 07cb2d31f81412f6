package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.CompletedPart;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.backend.WriteCondition;
import dev.canopy.storage.s3.xml.SafeXml;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/** Multipart uploads: create, upload part, complete, abort, list parts. */
final class MultipartHandlers {

  /** 10,000 parts of about 150 bytes of XML each, with room to spare. */
  private static final int COMPLETE_BODY_BYTES_MAX = 4 * 1024 * 1024;

  private final ObjectBackend backend;
  private final BucketConfigs configs;

  MultipartHandlers(ObjectBackend backend, BucketConfigs configs) {
    this.backend = backend;
    this.configs = configs;
  }

  Future<Void> create(S3Exchange ex) {
    // Tags ride on the upload's metadata and are the object's once it completes.
    ObjectMetadata metadata = ObjectHeaders.fromRequest(ex.request.headers()).withAcl(AclHeaders.forNewObject(ex))
        .withTags(TagSets.fromHeader(ex.header("x-amz-tagging"), TagSets.OBJECT_TAGS_MAX));
    String bucketId = ex.bucket().id();
    String key = ex.target.key();
    return ex.blocking(() -> backend.createUpload(bucketId, key, metadata)).map(upload -> {
      ex.sendXml(200, S3Xml.initiateMultipartUpload(ex.bucket().name(), key, upload.uploadId()));
      return null;
    });
  }

  Future<Void> uploadPart(S3Exchange ex) {
    int partNumber = partNumber(ex.query.getOrEmpty("partNumber"));
    String uploadId = ex.query.getOrEmpty("uploadId");
    long declared = BodyUpload.declaredLength(ex);
    String bucketId = ex.bucket().id();
    String key = ex.target.key();
    return ex.asUpload(() -> ex.blocking(backend::newBlob).compose(blob -> BodyUpload.run(ex, blob, declared)
        .compose(digests -> ex.blocking(
                () -> backend.commitPart(bucketId, key, uploadId, partNumber, blob, digests.md5()))
            .map(part -> {
              ex.response.putHeader("ETag", S3Xml.quote(part.etag()));
              ObjectHeaders.writeChecksums(ex.response, digests.checksums());
              ex.sendEmpty(200);
              return (Void) null;
            }))
        .recover(failure -> ObjectHandlers.abortThenFail(ex, blob, failure))));
  }

  static int partNumber(String text) {
    try {
      int number = Integer.parseInt(text.trim());
      MultipartRules.checkPartNumber(number);
      return number;
    } catch (NumberFormatException e) {
      throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive");
    }
  }

  Future<Void> complete(S3Exchange ex) {
    BucketRecord bucket = ex.bucket();
    String bucketId = bucket.id();
    String key = ex.target.key();
    String uploadId = ex.query.getOrEmpty("uploadId");
    String location = "http://" + ex.header("Host") + ex.head.rawPath();
    WriteCondition condition = Preconditions.forWrite(ex.header("If-Match"), ex.header("If-None-Match"));
    return ex.readSmallBody(COMPLETE_BODY_BYTES_MAX).compose(body -> {
      List<CompletedPart> parts = parseParts(body);
      return ex.blocking(() -> VersioningHandlers.writesTo(backend, configs, bucket)
          .completeUpload(bucketId, key, uploadId, parts, condition));
    }).map(info -> {
      VersionedObjects.writeVersion(ex.response, info.versionId());
      ex.sendXml(200, S3Xml.completeMultipartUpload(location, ex.bucket().name(), key, info.etag()));
      return null;
    });
  }

  static List<CompletedPart> parseParts(byte[] body) {
    Element root = S3Xml.requestRoot(body, "CompleteMultipartUpload");
    List<Element> elements = SafeXml.children(root, "Part");
    if (elements.size() > MultipartRules.PART_NUMBER_MAX) {
      throw StorageErrors.malformedXml();
    }
    List<CompletedPart> parts = new ArrayList<>(elements.size());
    for (Element part : elements) {
      String number = SafeXml.childText(part, "PartNumber").orElseThrow(StorageErrors::malformedXml);
      String etag = SafeXml.childText(part, "ETag").orElseThrow(StorageErrors::malformedXml);
      try {
        parts.add(new CompletedPart(Integer.parseInt(number.trim()), etag));
      } catch (NumberFormatException e) {
        throw StorageErrors.malformedXml();
      }
    }
    return parts;
  }

  Future<Void> abort(S3Exchange ex) {
    String bucketId = ex.bucket().id();
    String uploadId = ex.query.getOrEmpty("uploadId");
    return ex.blocking(() -> {
      backend.abortUpload(bucketId, ex.target.key(), uploadId);
      return null;
    }).map(v -> {
      ex.sendEmpty(204);
      return null;
    });
  }

  Future<Void> listParts(S3Exchange ex) {
    String bucketId = ex.bucket().id();
    String uploadId = ex.query.getOrEmpty("uploadId");
    int marker = ex.query.get("part-number-marker").map(MultipartHandlers::nonNegative).orElse(0);
    int max = ListingHandlers.maxKeys(ex.query, "max-parts");
    return ex.blocking(() -> backend.listParts(bucketId, ex.target.key(), uploadId, marker, max)).map(page -> {
      ex.sendXml(200, ListXml.parts(ex.bucket().name(), page, marker, max, ex.bucket().ownerAccountId()));
      return null;
    });
  }

  private static int nonNegative(String text) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw S3Errors.invalidArgument("Part number marker must be a non-negative integer");
  }
}
