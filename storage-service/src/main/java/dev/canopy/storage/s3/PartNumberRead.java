package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ByteRange;
import dev.canopy.storage.backend.ObjectInfo;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * GET and HEAD {@code ?partNumber=N}, S3's "ranged GET of part N": part N of a multipart object,
 * answered 206 with the part's Content-Range and the object's part count; a single-part object
 * is one part, so part 1 is the whole object (206, Content-Range of all of it, no part count).
 * Parts are numbered by their position in the completed object.
 */
final class PartNumberRead {

  static final String PARTS_COUNT_HEADER = "x-amz-mp-parts-count";

  private PartNumberRead() {}

  /** The requested part, checked before the object is looked up; empty without {@code partNumber}. */
  static OptionalInt parse(QueryParams query, String rangeHeader) {
    Optional<String> text = query.get("partNumber");
    if (text.isEmpty()) {
      return OptionalInt.empty();
    }
    // A positive integer up to S3's 10,000 parts, else InvalidArgument, as UploadPart checks it.
    int partNumber = MultipartHandlers.partNumber(text.get());
    if (rangeHeader != null) {
      throw S3Errors.invalidRequest("Cannot specify both Range header and partNumber query parameter");
    }
    return OptionalInt.of(partNumber);
  }

  /**
   * The bytes of part {@code partNumber} of {@code info}; empty when the part has none (an empty
   * object, or an empty last part). A part the object does not have is 416 InvalidPartNumber.
   */
  static Optional<ByteRange> bytes(ObjectInfo info, int partNumber) {
    if (info.partCount() == 0) {
      if (partNumber != 1) {
        throw invalidPartNumber();
      }
      return info.size() == 0 ? Optional.empty() : Optional.of(new ByteRange(0, info.size() - 1));
    }
    if (partNumber > info.partCount()) {
      throw invalidPartNumber();
    }
    return info.partRange(partNumber);
  }

  private static AwsException invalidPartNumber() {
    return new AwsException(416, "InvalidPartNumber", "The requested partnumber is not satisfiable");
  }
}
