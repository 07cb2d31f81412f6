package dev.canopy.storage.backend;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * S3's rule for ListMultipartUploads over a bucket's uploads in key then upload-id order: those
 * under the prefix, rolled up by the delimiter, resuming after the key marker (inside it when an
 * upload-id marker is given), uploads and common prefixes together limited to max-uploads.
 */
public final class UploadListing {

  private UploadListing() {}

  /**
   * One upload as the store's index yields it: the upload itself is read only if the page takes
   * it, and may have gone meanwhile (empty).
   */
  public record Entry(String key, String uploadId, Supplier<Optional<UploadInfo>> upload) {}

  /** @param entries from the first key at or after the prefix, in order; each step consumes one */
  public static UploadsPage page(
      Iterator<Entry> entries, String prefix, String delimiter, String keyMarker, String uploadIdMarker, int maxUploads) {
    if (maxUploads == 0) {
      // Empty and complete, as ListObjects answers max-keys=0.
      return new UploadsPage(List.of(), List.of(), false, "", "");
    }
    List<UploadInfo> page = new ArrayList<>();
    List<String> commonPrefixes = new ArrayList<>();
    String lastPrefix = null;
    boolean lastIsPrefix = false;
    boolean truncated = false;
    while (entries.hasNext()) {
      Entry entry = entries.next();
      String key = entry.key();
      if (!key.startsWith(prefix)) {
        break;
      }
      String common = Listing.commonPrefix(key, prefix, delimiter);
      if (common != null) {
        // One entry per prefix; a prefix at or before the key marker was on an earlier page.
        if (common.equals(lastPrefix) || (!keyMarker.isEmpty() && KeyOrder.compare(common, keyMarker) <= 0)) {
          continue;
        }
        if (page.size() + commonPrefixes.size() == maxUploads) {
          truncated = true;
          break;
        }
        commonPrefixes.add(common);
        lastPrefix = common;
        lastIsPrefix = true;
        continue;
      }
      if (!keyMarker.isEmpty()) {
        int order = KeyOrder.compare(key, keyMarker);
        // With an upload-id marker, S3 resumes inside the marker key; without, after it.
        if (order < 0 || (order == 0 && (uploadIdMarker.isEmpty() || entry.uploadId().compareTo(uploadIdMarker) <= 0))) {
          continue;
        }
      }
      if (page.size() + commonPrefixes.size() == maxUploads) {
        truncated = true;
        break;
      }
      Optional<UploadInfo> upload = entry.upload().get();
      if (upload.isPresent()) {
        page.add(upload.get());
        lastIsPrefix = false;
      }
    }
    if (!truncated) {
      return new UploadsPage(page, commonPrefixes, false, "", "");
    }
    if (lastIsPrefix) {
      return new UploadsPage(page, commonPrefixes, true, lastPrefix, "");
    }
    UploadInfo last = page.get(page.size() - 1);
    return new UploadsPage(page, commonPrefixes, true, last.key(), last.uploadId());
  }
}
