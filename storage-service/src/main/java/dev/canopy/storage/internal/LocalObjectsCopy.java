package dev.canopy.storage.internal;

import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.local.RocksObjectBackend;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * Moves the objects a storage node kept in its own store (before S3 objects lived on the
 * replicated store) onto the replicated store, once, at start: each is copied, committed there,
 * then deleted here, so a crash in between copies it again and nothing is lost. The bytes,
 * metadata and last checksums are kept; a multipart object's ETag becomes its bytes' MD5 (it is
 * stored as one blob). Unfinished multipart uploads of the old store are not moved.
 */
public final class LocalObjectsCopy {

  private static final int BATCH = 256;
  private static final int READ_BYTES = 1024 * 1024;

  private final RocksObjectBackend from;
  private final ObjectBackend to;

  public LocalObjectsCopy(RocksObjectBackend from, ObjectBackend to) {
    this.from = from;
    this.to = to;
  }

  /** Copies every object kept here; returns how many. A failure leaves the rest for the next start. */
  public int moveAll() {
    int moved = 0;
    for (List<RocksObjectBackend.StoredObject> batch = from.firstObjects(BATCH); !batch.isEmpty();
        batch = from.firstObjects(BATCH)) {
      for (RocksObjectBackend.StoredObject object : batch) {
        move(object);
        moved++;
      }
    }
    return moved;
  }

  private void move(RocksObjectBackend.StoredObject object) {
    BlobWriter blob = to.newBlob();
    try (ObjectReader reader = from.open(object.bucket(), object.key())) {
      MessageDigest md5 = md5();
      ObjectInfo info = reader.info();
      for (long offset = 0; offset < info.size(); ) {
        byte[] bytes = reader.read(offset, READ_BYTES);
        if (bytes.length == 0) {
          throw new dev.canopy.storage.local.StoreException(object + " ends at " + offset + " of " + info.size() + " bytes", null);
        }
        md5.update(bytes);
        blob.write(ByteBuffer.wrap(bytes));
        offset += bytes.length;
      }
      Map<String, String> checksums = info.partCount() == 0 ? info.checksums() : Map.of();
      to.commitObject(object.bucket(), object.key(), blob, md5.digest(), info.metadata(), checksums);
    } catch (RuntimeException e) {
      blob.abort();
      throw e;
    }
    from.delete(object.bucket(), object.key());
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }
}
