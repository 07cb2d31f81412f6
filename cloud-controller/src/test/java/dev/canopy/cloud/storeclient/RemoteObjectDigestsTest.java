package dev.canopy.cloud.storeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.ca.TestCertificates;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.images.OwnedImageObjects;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.node.protocol.PeerRole;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.backend.ObjectDigest;
import dev.canopy.storage.backend.ObjectInfo;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.internal.InternalKvServer;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import dev.canopy.storage.local.StoreException;
import dev.canopy.storage.s3.BucketRecord;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller learns objects' sizes, ETags and SHA-256s from the storage process: the real
 * internal endpoint over mutual TLS with certificates of the real CA, on a real RocksDB store
 * and object backend. The storage side computes each digest once per object version.
 */
class RemoteObjectDigestsTest {

  private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50));
  private static final Time CLOCK = SystemTime.INSTANCE;
  private static final int MIB = 1024 * 1024;
  private static final String BUCKET = "images";
  private static final String OWNER = "123456789012";

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private final Random bytes = new Random(42);
  private final CertificateAuthority ca =
      CertificateAuthority.loadOrCreate(new InMemoryTable<>(), new SecretBox(MasterKey.generate(random), random), "test", CLOCK, random);
  private final TlsCredentials storage = StoragePeers.storageCredentials(ca, "st-1", Duration.ofDays(1), random);
  private final TlsCredentials controller = ca.controllerCredentials("ctl-1", List.of("127.0.0.1"), Duration.ofDays(1));
  private final AtomicInteger opens = new AtomicInteger();
  private Vertx vertx;
  private LocalStore local;
  private ObjectBackend objects;
  private InternalKvServer server;
  private URI base;

  @BeforeEach
  void startStorage() {
    vertx = Vertx.vertx();
    local = LocalStore.open(dir.resolve("storage"));
    objects = countingOpens(new RocksObjectBackend(local, CLOCK, new Random(7)));
    server = new InternalKvServer(vertx, local, objects, StoragePeers.serverTls(storage, CLOCK));
    base = URI.create("https://127.0.0.1:" + server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join());
  }

  @AfterEach
  void stopStorage() {
    server.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    local.close();
  }

  /** The backend, counting the readers opened on it: each digest computed streams one. */
  private ObjectBackend countingOpens(ObjectBackend backend) {
    return (ObjectBackend) Proxy.newProxyInstance(ObjectBackend.class.getClassLoader(), new Class<?>[] {ObjectBackend.class},
        (proxy, method, args) -> {
          if (method.getName().equals("open")) {
            opens.incrementAndGet();
          }
          try {
            return method.invoke(backend, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private RemoteObjectDigests digests(TlsCredentials as) {
    return new RemoteObjectDigests(StorageEndpoint.connect(base, as, CLOCK, FAST));
  }

  private byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    bytes.nextBytes(data);
    return data;
  }

  private ObjectInfo put(String key, byte[] data) throws Exception {
    BlobWriter blob = objects.newBlob();
    blob.write(ByteBuffer.wrap(data));
    return objects.commitObject(BUCKET, key, blob, MessageDigest.getInstance("MD5").digest(data), ObjectMetadata.empty(), Map.of());
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void withTheFirstStorageNodeDownTheDigestComesFromTheNext() throws Exception {
    byte[] image = randomBytes(MIB + 3);
    put("disk.img", image);
    URI down;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      down = URI.create("https://127.0.0.1:" + socket.getLocalPort());
    }
    FailoverObjectDigests failover = new FailoverObjectDigests(List.of(
        new RemoteObjectDigests(StorageEndpoint.connect(down, controller, CLOCK, FAST)), digests(controller)));

    assertThat(failover.digest(BUCKET, "disk.img")).map(ObjectDigest::sha256).contains(sha256(image));
    assertThat(failover.digest(BUCKET, "missing")).isEmpty();
  }

  @Test
  void theDigestOfAMultiChunkObjectIsItsSizeEtagAndSha256() throws Exception {
    byte[] image = randomBytes(3 * MIB + 12_345); // four 1 MiB chunks, the last one partial
    String key = "disks/tiny image+ü.qcow2";
    ObjectInfo stored = put(key, image);

    ObjectDigest digest = digests(controller).digest(BUCKET, key).orElseThrow();

    assertThat(digest).isEqualTo(new ObjectDigest(image.length, stored.etag(), sha256(image)));
  }

  @Test
  void aMissingObjectOrBucketIsEmptyNotAnError() throws Exception {
    put("present", randomBytes(10));
    RemoteObjectDigests remote = digests(controller);
    assertThat(remote.digest(BUCKET, "absent")).isEmpty();
    assertThat(remote.digest("no-such-bucket", "present")).isEmpty();
    assertThat(remote.digest(BUCKET, "")).as("a key no object can have").isEmpty();
  }

  @Test
  void theDigestIsComputedOncePerVersionAndAgainAfterAnOverwrite() throws Exception {
    RemoteObjectDigests remote = digests(controller);
    byte[] first = randomBytes(2 * MIB + 1);
    put("disk.img", first);
    assertThat(remote.digest(BUCKET, "disk.img")).map(ObjectDigest::sha256).contains(sha256(first));
    assertThat(remote.digest(BUCKET, "disk.img")).map(ObjectDigest::sha256).contains(sha256(first));
    assertThat(opens).as("the second answer comes from the memo, without reading the object").hasValue(1);

    byte[] second = randomBytes(MIB + 7);
    ObjectInfo overwritten = put("disk.img", second);
    ObjectDigest fresh = remote.digest(BUCKET, "disk.img").orElseThrow();
    assertThat(fresh).isEqualTo(new ObjectDigest(second.length, overwritten.etag(), sha256(second)));
    assertThat(opens).as("a new ETag is a new version: read once more").hasValue(2);
    assertThat(remote.digest(BUCKET, "disk.img")).contains(fresh);
    assertThat(opens).hasValue(2);
  }

  @Test
  void aNodeCertificateIsRefusedAtTheHandshake() throws Exception {
    put("disk.img", randomBytes(100));
    KeyPair pair = TestCertificates.keyPair();
    var node = new TlsCredentials(pair.getPrivate(), ca.issue(TestCertificates.csr(pair), PeerRole.NODE, "nd-1", Duration.ofDays(1)),
        ca.certificate());

    assertThatThrownBy(() -> digests(node).digest(BUCKET, "disk.img"))
        .isInstanceOf(StoreException.class).hasMessageContaining("unreachable");
    assertThat(opens).as("nothing was read for it").hasValue(0);
  }

  @Test
  void anImageFileIsReadableWhenItsBucketIsTheAccountsAndStorageFindsTheObject() throws Exception {
    put("disk.img", randomBytes(100));
    try (Grid grid = Grid.startStandalone("test-" + System.nanoTime(), "127.0.0.1", 5701,
        RemoteSystemStore.connect(base, controller, CLOCK, FAST))) {
      GridBucketRegistry buckets = new GridBucketRegistry(grid);
      buckets.create(new BucketRecord(BUCKET, OWNER, Instant.parse("2026-11-26T07:00:00Z"), "canopy-1"));
      OwnedImageObjects images = new OwnedImageObjects(buckets, digests(controller));

      assertThat(images.readable(OWNER, BUCKET + "/disk.img")).isTrue();
      assertThat(images.readable("210987654321", BUCKET + "/disk.img")).as("another account's bucket").isFalse();
      assertThat(images.readable(OWNER, BUCKET + "/missing.img")).as("no such object").isFalse();
      assertThat(images.readable(OWNER, "other-bucket/disk.img")).as("no such bucket").isFalse();
      assertThat(images.readable(OWNER, "disk.img")).as("not bucket/key").isFalse();
    }
  }
}
