package dev.canopy.storage.backend;

import java.util.List;

/**
 * One page of ListMultipartUploads, in key then upload id order; with a delimiter, keys that
 * contain it after the prefix are rolled up into {@code commonPrefixes}, which count against
 * max-uploads like uploads do.
 *
 * @param nextKeyMarker where the next page starts after (the last upload's key or the last common
 *     prefix); "" when not truncated
 * @param nextUploadIdMarker the last upload's id when the page ends on an upload, else ""
 */
public record UploadsPage(
    List<UploadInfo> uploads, List<String> commonPrefixes, boolean truncated, String nextKeyMarker,
    String nextUploadIdMarker) {

  public UploadsPage {
    uploads = List.copyOf(uploads);
    commonPrefixes = List.copyOf(commonPrefixes);
  }
}
