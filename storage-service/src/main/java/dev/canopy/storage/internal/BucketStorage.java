package dev.canopy.storage.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectVersion;
import dev.canopy.storage.backend.PartInfo;
import dev.canopy.storage.backend.PartsPage;
import dev.canopy.storage.backend.UploadInfo;
import dev.canopy.storage.backend.UploadsPage;
import dev.canopy.storage.backend.VersionsPage;
import dev.canopy.storage.backend.VersionsQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What one bucket stores, as billed: the bytes of every object version (current and noncurrent;
 * a delete marker stores nothing) plus the parts of its unfinished multipart uploads. Read page by
 * page through the object store's listings ({@value #PAGE_KEYS} entries a page), so a bucket of
 * any size is measured in bounded memory. The internal endpoint serves it at {@code GET
 * /v1/bucket-storage/{bucketId}} as {@code {"bytes":N}}; a bucket with nothing stored (or none at
 * all: its id was never used) measures 0.
 */
public final class BucketStorage {

  public static final String PREFIX = "/v1/bucket-storage/";
  public static final String CONTENT_TYPE = "application/json";
  public static final int PAGE_KEYS = 1000;
  /** Bucket ids ({@code b_} and hex) and, for buckets from before ids, bucket names. */
  private static final Pattern BUCKET_ID = Pattern.compile("[A-Za-z0-9._-]{1,255}");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectBackend objects;

  public BucketStorage(ObjectBackend objects) {
    this.objects = objects;
  }

  public static boolean isBucketId(String id) {
    return id != null && BUCKET_ID.matcher(id).matches();
  }

  /** The path a controller asks; @throws IllegalArgumentException for an id no bucket has */
  public static String path(String bucketId) {
    if (!isBucketId(bucketId)) {
      throw new IllegalArgumentException("not a bucket id");
    }
    return PREFIX + bucketId;
  }

  /** The bytes {@code bucketId} stores now. Blocking: a listing of the whole bucket. */
  public long bytes(String bucketId) {
    return Math.addExact(versionBytes(bucketId), uploadBytes(bucketId));
  }

  private long versionBytes(String bucketId) {
    long bytes = 0;
    String keyMarker = "";
    String versionMarker = "";
    while (true) {
      VersionsPage page = objects.listVersions(bucketId, new VersionsQuery("", "", keyMarker, versionMarker, PAGE_KEYS));
      for (ObjectVersion v : page.versions()) {
        if (!v.deleteMarker()) {
          bytes = Math.addExact(bytes, v.size());
        }
      }
      if (!page.truncated()) {
        return bytes;
      }
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
  }

  private long uploadBytes(String bucketId) {
    long bytes = 0;
    String keyMarker = "";
    String uploadMarker = "";
    while (true) {
      UploadsPage page = objects.listUploads(bucketId, "", keyMarker, uploadMarker, PAGE_KEYS);
      for (UploadInfo upload : page.uploads()) {
        bytes = Math.addExact(bytes, partBytes(bucketId, upload));
      }
      if (!page.truncated()) {
        return bytes;
      }
      keyMarker = page.nextKeyMarker();
      uploadMarker = page.nextUploadIdMarker();
    }
  }

  private long partBytes(String bucketId, UploadInfo upload) {
    long bytes = 0;
    int marker = 0;
    while (true) {
      PartsPage page;
      try {
        page = objects.listParts(bucketId, upload.key(), upload.uploadId(), marker, PAGE_KEYS);
      } catch (AwsException gone) {
        // NoSuchUpload: completed or aborted since it was listed; its parts are an object now, or nothing.
        return bytes;
      }
      for (PartInfo part : page.parts()) {
        bytes = Math.addExact(bytes, part.size());
      }
      if (!page.truncated()) {
        return bytes;
      }
      marker = page.nextMarker();
    }
  }

  /** The answer's body. */
  public static byte[] json(long bytes) {
    return ("{\"bytes\":" + bytes + "}").getBytes(StandardCharsets.US_ASCII);
  }

  /** @throws IllegalArgumentException when the body is not {@code {"bytes":N}} with N ≥ 0 */
  public static long parse(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      JsonNode bytes = node == null ? null : node.get("bytes");
      if (bytes == null || !bytes.isIntegralNumber() || !bytes.canConvertToLong() || bytes.asLong() < 0) {
        throw new IllegalArgumentException("a bucket storage answer is {\"bytes\":N}");
      }
      return bytes.asLong();
    } catch (IOException e) {
      throw new IllegalArgumentException("a bucket storage answer must be JSON");
    }
  }
}
