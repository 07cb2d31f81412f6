/**
 * The node's image cache: image files (root disks, kernels, ramdisks) fetched from presigned S3
 * URLs, verified against their SHA-256 and kept under their digest, so two images sharing a
 * kernel share one copy.
 *
 * <p>{@link dev.canopy.images.cache.ImageCache} is the entry point. On disk, under the cache dir:
 *
 * <pre>
 * sha256/&lt;hex&gt;     verified objects, mode 0644 (QEMU runs as another user); mtime = last use
 * tmp/             downloads in progress; removed at startup
 * pins/&lt;holder&gt;    the digests a holder (an instance) needs kept: its overlay's backing file
 * </pre>
 *
 * <p>A file reaches {@code sha256/} only by an atomic rename after its size and digest checked
 * out, so a corrupted or truncated download can never be used.
 */
package dev.canopy.images.cache;
