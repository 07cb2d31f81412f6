package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.ByteRange;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * UploadPartCopy's {@code x-amz-copy-source-range}: unlike a GET's Range, only the closed form
 * {@code bytes=first-last} is accepted, and a range that does not fit the source is an error, never
 * clipped (the part would silently be shorter than the client planned).
 */
final class CopySourceRange {

  private static final Pattern FORM = Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})");

  private CopySourceRange() {}

  /** The bytes of a source of {@code size} bytes to copy: the whole source when {@code header} is null. */
  static ByteRange resolve(String header, long size) {
    if (header == null) {
      // An empty source copies as an empty part; ByteRange cannot say "nothing", so the caller checks size first.
      return size == 0 ? null : new ByteRange(0, size - 1);
    }
    Matcher m = FORM.matcher(header.trim());
    if (!m.matches()) {
      throw S3Errors.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last"
          + " where first and last are the zero-based offsets of the first and last bytes to copy");
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    if (last < first) {
      throw S3Errors.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last"
          + " where first and last are the zero-based offsets of the first and last bytes to copy");
    }
    if (last >= size) {
      throw S3Errors.invalidRange();
    }
    return new ByteRange(first, last);
  }
}
