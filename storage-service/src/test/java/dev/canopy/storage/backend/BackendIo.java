package dev.canopy.storage.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** Writing and reading objects through a backend as the S3 API does, for backend tests. */
public final class BackendIo {

  public static final int MIB = 1024 * 1024;

  private final Supplier<ObjectBackend> backend;

  public BackendIo(Supplier<ObjectBackend> backend) {
    this.backend = backend;
  }

  private final Random random = new Random(42);

  public byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return data;
  }

  public static byte[] md5(byte[] data) {
    return MultipartRules.md5().digest(data);
  }

  /** Writes in odd-sized pieces, as network buffers arrive. */
  public BlobWriter stream(byte[] data) {
    BlobWriter blob = backend.get().newBlob();
    int offset = 0;
    while (offset < data.length) {
      int n = Math.min(data.length - offset, 1 + random.nextInt(300_000));
      blob.write(ByteBuffer.wrap(data, offset, n));
      offset += n;
    }
    return blob;
  }

  public ObjectInfo put(String key, byte[] data) {
    return backend.get().commitObject("bkt", key, stream(data), md5(data), ObjectMetadata.empty(), Map.of());
  }

  public static byte[] readRange(ObjectReader reader, long first, long last) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long offset = first;
    while (offset <= last) {
      byte[] piece = reader.read(offset, (int) Math.min(Integer.MAX_VALUE, last - offset + 1));
      assertThat(piece).isNotEmpty();
      out.write(piece, 0, piece.length);
      offset += piece.length;
    }
    return out.toByteArray();
  }

  public byte[] readAll(String bucket, String key) {
    try (ObjectReader reader = backend.get().open(bucket, key)) {
      return reader.info().size() == 0 ? new byte[0] : readRange(reader, 0, reader.info().size() - 1);
    }
  }
}
