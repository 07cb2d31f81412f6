package dev.canopy.api.auth;

import java.util.Map;

/**
 * What is known about a body once it has been fully read and checked.
 *
 * @param length decoded payload length in bytes
 * @param md5 MD5 of the decoded payload (the ETag of a single-part S3 object)
 * @param checksums verified {@code x-amz-checksum-*} values by algorithm name in lower case
 *     ("crc32", "crc32c", "sha1", "sha256", "crc64nvme"), base64 as the client sent them
 */
public record PayloadDigests(long length, byte[] md5, Map<String, String> checksums) {}
