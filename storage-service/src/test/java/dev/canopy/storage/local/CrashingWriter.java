package dev.canopy.storage.local;

import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.UploadInfo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Random;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: commits an object and one part of an upload,
 * starts writing two more blobs (an object body and a part) and, with their chunks written but
 * never committed, halts the JVM: no close, no shutdown hook, as a kill -9 or a power cut of the
 * process would leave the store. Prints the upload id, then {@link #READY}, before halting.
 */
public final class CrashingWriter {

  static final String READY = "written; halting";
  static final int MIB = 1024 * 1024;
  static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-03-04T05:06:07Z"));

  /** The committed object's bytes: three chunks, the last of one byte. */
  static byte[] committedObject() {
    return bytes(2 * MIB + 1, 1);
  }

  /** The committed part's bytes: two chunks. */
  static byte[] committedPart() {
    return bytes(MIB + 5, 2);
  }

  static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private CrashingWriter() {}

  public static void main(String[] args) throws Exception {
    LocalStore store = LocalStore.open(Path.of(args[0]));
    RocksObjectBackend backend = new RocksObjectBackend(store, CLOCK, new Random(5), MIB, MultipartRules.PART_SIZE_MIN);

    store.put("accounts", "111111111111", "alice".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] object = committedObject();
    backend.commitObject("bkt", "kept", write(backend, object), md5(object), ObjectMetadata.empty(), Map.of());
    UploadInfo upload = backend.createUpload("bkt", "mp", ObjectMetadata.empty());
    byte[] part = committedPart();
    backend.commitPart("bkt", "mp", upload.uploadId(), 1, write(backend, part), md5(part));

    // Torn writes: full chunks are in the store (unsynced, like every streamed chunk), never committed.
    write(backend, bytes(3 * MIB + 7, 3));
    write(backend, bytes(2 * MIB, 4));

    System.out.println(upload.uploadId());
    System.out.println(READY);
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static BlobWriter write(RocksObjectBackend backend, byte[] data) {
    BlobWriter blob = backend.newBlob();
    // In network-sized pieces, as a request body arrives.
    for (int offset = 0; offset < data.length; offset += 64 * 1024) {
      blob.write(ByteBuffer.wrap(data, offset, Math.min(64 * 1024, data.length - offset)));
    }
    return blob;
  }

  private static byte[] md5(byte[] data) throws Exception {
    return MessageDigest.getInstance("MD5").digest(data);
  }
}
