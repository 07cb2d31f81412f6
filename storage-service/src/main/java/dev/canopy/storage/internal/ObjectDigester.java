package dev.canopy.storage.internal;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Error;
import dev.canopy.core.time.Futures;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectDigest;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.local.StoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The SHA-256 of a stored object, computed by streaming it from the {@link ObjectBackend} once per
 * object version and remembered: S3 keeps MD5-based ETags, but a node checks an image it
 * downloaded against its SHA-256. A version is the object's ETag and commit time, so an
 * overwrite (a new ETag, or the same bytes committed again) is digested afresh and an unchanged
 * object never is. Requests for a version whose digest is being computed wait for that one
 * computation rather than start another.
 *
 * <p>Blocking (reads every byte of an object not seen before): call it from a worker thread.
 * Thread safe.
 */
public final class ObjectDigester {

  /**
   * How long a request waits for a digest another request is computing. A client of the internal
   * endpoint waits for a digest this long and a little more; an object too large to stream in
   * this time fails the request, but its computation goes on and the next request finds it.
   */
  public static final Duration WAIT_MAX = Duration.ofMinutes(5);
  /** Versions remembered, least recently used forgotten first; an entry is a bucket, a key (≤ 1 KiB) and a digest. */
  static final int VERSIONS_MAX = 10_000;
  private static final int READ_BYTES = 1024 * 1024;

  private final ObjectBackend objects;
  private final Map<Version, CompletableFuture<String>> memo = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Version, CompletableFuture<String>> eldest) {
      return size() > VERSIONS_MAX;
    }
  };

  public ObjectDigester(ObjectBackend objects) {
    this.objects = objects;
  }

  /**
   * The object's size, ETag and SHA-256; empty when there is no such object.
   *
   * @throws StoreException when the store fails, or another request's computation of the same
   *     version did not finish within {@link #WAIT_MAX}
   */
  public Optional<ObjectDigest> digest(String bucket, String key) {
    Optional<ObjectInfo> head = objects.head(bucket, key);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    CompletableFuture<String> known;
    synchronized (memo) {
      known = memo.get(Version.of(bucket, key, head.get()));
    }
    if (known != null) {
      return Optional.of(digest(head.get(), await(known, bucket, key)));
    }
    ObjectReader reader;
    try {
      reader = objects.open(bucket, key);
    } catch (AwsException e) {
      if (S3Error.NO_SUCH_KEY.code().equals(e.code())) {
        return Optional.empty(); // deleted since the head
      }
      throw e;
    }
    try (reader) {
      // The reader's version, which may be newer than the head's: the bytes read are that version's.
      ObjectInfo info = reader.info();
      Version version = Version.of(bucket, key, info);
      CompletableFuture<String> mine = new CompletableFuture<>();
      synchronized (memo) {
        known = memo.putIfAbsent(version, mine);
      }
      if (known != null) {
        return Optional.of(digest(info, await(known, bucket, key)));
      }
      try {
        String sha256 = sha256(reader);
        mine.complete(sha256);
        return Optional.of(digest(info, sha256));
      } catch (RuntimeException e) {
        synchronized (memo) {
          memo.remove(version, mine);
        }
        mine.completeExceptionally(e);
        throw e;
      }
    }
  }

  private static ObjectDigest digest(ObjectInfo info, String sha256) {
    return new ObjectDigest(info.size(), info.etag(), sha256);
  }

  private static String await(CompletableFuture<String> computation, String bucket, String key) {
    String what = "the SHA-256 of " + bucket + "/" + key;
    try {
      // A copy: a waiter that gives up cancels its own wait, never the computation others share.
      return Futures.await(computation.copy(), WAIT_MAX, what);
    } catch (TimeoutException e) {
      throw new StoreException(e.getMessage() + ", which another request is computing", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for " + what, e);
    }
  }

  private static String sha256(ObjectReader reader) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    long offset = 0;
    for (byte[] part; (part = reader.read(offset, READ_BYTES)).length > 0; offset += part.length) {
      digest.update(part);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** One committed version of one object. */
  private record Version(String bucket, String key, String etag, Instant committed) {
    static Version of(String bucket, String key, ObjectInfo info) {
      return new Version(bucket, key, info.etag(), info.lastModified());
    }
  }
}
