package dev.canopy.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectDigest;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectReader;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import dev.canopy.storage.local.StoreException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digest memo on a real RocksDB object backend whose readers the test can hold up or break. */
class ObjectDigesterTest {

  @TempDir Path dir;

  private final Random random = new Random(3);
  private final AtomicInteger opens = new AtomicInteger();
  private final CountDownLatch reading = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean holdReads = new AtomicBoolean();
  private final AtomicBoolean breakReads = new AtomicBoolean();
  private LocalStore store;
  private ObjectBackend objects;

  @BeforeEach
  void open() {
    store = LocalStore.open(dir);
    objects = instrumented(new RocksObjectBackend(store, InstantSource.system(), new Random(7)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Counts opened readers; their reads wait for {@link #release} while held, or fail while broken. */
  private ObjectBackend instrumented(ObjectBackend backend) {
    return proxy(ObjectBackend.class, backend, (method, args) -> {
      Object result = method.invoke(backend, args);
      if (!method.getName().equals("open")) {
        return result;
      }
      opens.incrementAndGet();
      ObjectReader reader = (ObjectReader) result;
      return proxy(ObjectReader.class, reader, (readerMethod, readerArgs) -> {
        if (readerMethod.getName().equals("read")) {
          if (breakReads.get()) {
            throw new StoreException("simulated: a chunk is unreadable", null);
          }
          if (holdReads.get()) {
            reading.countDown();
            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
          }
        }
        return readerMethod.invoke(reader, readerArgs);
      });
    });
  }

  private interface Call {
    Object call(java.lang.reflect.Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, T target, Call call) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      try {
        return call.call(method, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }

  private byte[] put(String key, int size) throws Exception {
    byte[] data = new byte[size];
    random.nextBytes(data);
    BlobWriter blob = objects.newBlob();
    blob.write(ByteBuffer.wrap(data));
    objects.commitObject("images", key, blob, MessageDigest.getInstance("MD5").digest(data), ObjectMetadata.empty(), Map.of());
    return data;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void requestsArrivingWhileADigestIsComputedShareThatOneComputation() throws Exception {
    byte[] data = put("disk.img", 3 * 1024 * 1024);
    ObjectDigester digester = new ObjectDigester(objects);
    holdReads.set(true);
    CompletableFuture<Optional<ObjectDigest>> first = CompletableFuture.supplyAsync(() -> digester.digest("images", "disk.img"));
    assertThat(reading.await(30, TimeUnit.SECONDS)).as("the first request is streaming the object").isTrue();
    CompletableFuture<Optional<ObjectDigest>> second = CompletableFuture.supplyAsync(() -> digester.digest("images", "disk.img"));
    release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).map(ObjectDigest::sha256).contains(sha256(data));
    assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(first.get());
    assertThat(opens).as("one reader for both").hasValue(1);
  }

  @Test
  void aFailedComputationIsNotRemembered() throws Exception {
    byte[] data = put("disk.img", 1000);
    ObjectDigester digester = new ObjectDigester(objects);
    breakReads.set(true);
    assertThatThrownBy(() -> digester.digest("images", "disk.img")).isInstanceOf(StoreException.class).hasMessageContaining("unreadable");
    breakReads.set(false);
    assertThat(digester.digest("images", "disk.img")).map(ObjectDigest::sha256).contains(sha256(data));
    assertThat(opens).hasValue(2);
  }

  @Test
  void anEmptyObjectHasTheSha256OfNothingAndAMissingOneNoDigest() throws Exception {
    put("empty", 0);
    ObjectDigester digester = new ObjectDigester(objects);
    assertThat(digester.digest("images", "empty")).map(ObjectDigest::sha256).contains(sha256(new byte[0]));
    assertThat(digester.digest("images", "absent")).isEmpty();
    assertThat(digester.digest("elsewhere", "empty")).isEmpty();
  }
}
