package dev.canopy.node.protocol;

/**
 * One file of an image as the node fetches it: a presigned S3 GET URL (short-lived, so it is
 * never stored), the SHA-256 the bytes must have, and their size. The digest, not the URL, names
 * the file in the node's cache: two images sharing a kernel share one cached copy.
 *
 * @param url presigned GET URL on the cloud's S3 endpoint
 * @param sha256 lowercase hex SHA-256 of the object's bytes
 * @param sizeBytes the object's size, checked before the digest so a truncated body fails fast
 */
public record ImageObject(String url, String sha256, long sizeBytes) {}
