/**
 * The checksum algorithms of S3's {@code x-amz-checksum-*} headers and trailers (CRC32, CRC32C,
 * CRC64/NVME, SHA-1, SHA-256), as running checksums with the base64 big-endian encoding S3 uses.
 * Kept apart from {@code auth} because storage needs them too, for example to recompute a
 * multipart object's checksum.
 */
package dev.canopy.api.checksum;
