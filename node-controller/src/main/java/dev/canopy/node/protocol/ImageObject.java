package dev.canopy.node.protocol;

import java.util.List;

/**
 * One file of an image as the node fetches it: a presigned S3 GET URL (short-lived, so it is
 * never stored), the SHA-256 the bytes must have, and their size. The digest, not the URL, names
 * the file in the node's cache: two images sharing a kernel share one cached copy.
 *
 * @param url presigned GET URL on one of the cloud's S3 endpoints
 * @param sha256 lowercase hex SHA-256 of the object's bytes
 * @param sizeBytes the object's size, checked before the digest so a truncated body fails fast
 * @param mirrors the same object presigned on the cloud's other S3 endpoints, tried in order when
 *     {@code url}'s storage node cannot serve it; empty with one endpoint (or from a controller
 *     that predates mirrors)
 */
public record ImageObject(String url, String sha256, long sizeBytes, List<String> mirrors) {

  public ImageObject {
    mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
  }

  public ImageObject(String url, String sha256, long sizeBytes) {
    this(url, sha256, sizeBytes, List.of());
  }

  /** {@code url} first, then the mirrors. */
  public List<String> urls() {
    java.util.ArrayList<String> all = new java.util.ArrayList<>();
    all.add(url);
    all.addAll(mirrors);
    return all;
  }
}
