package dev.canopy.cloud.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.error.AwsException;
import dev.canopy.cloud.compute.MemoryTagStore;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.grid.StoreTables;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.core.time.SystemTime;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.storage.internal.ObjectDigester;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import dev.canopy.storage.s3.S3Server;
import dev.canopy.storage.s3.S3ServerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A registered image against a bucket name that changes hands, with the real parts between them:
 * an S3 server on a RocksDB store driven by the AWS SDK, the bucket registry in the grid's JSON
 * tables, RegisterImage's ownership check, the storage role's digests and the presigned links
 * nodes download with. Alice registers a disk, deletes it and her bucket; Mallory takes the name
 * and plants a disk under the same key. Alice's image must never hand out Mallory's disk.
 */
class ImageBucketSwapTest {

  private static final String REGION = "canopy-1";
  private static final Credential ALICE = new Credential("AKIAALICE0000000001", "alice-secret", "111111111111");
  private static final Credential MALLORY = new Credential("AKIAMALLORY00000001", "mallory-secret", "222222222222");
  private static final Credential READER = new Credential("CNPYIMGREADER000001", "reader-secret", S3Server.IMAGE_READER_ACCOUNT);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private LocalStore registryStore;
  private LocalStore objectStore;
  private Vertx vertx;
  private S3Server s3;
  private ImageService images;
  private PresignedImageDelivery delivery;
  private S3Client alice;
  private S3Client mallory;

  @BeforeEach
  void start() throws Exception {
    registryStore = LocalStore.open(dir.resolve("registry"));
    objectStore = LocalStore.open(dir.resolve("objects"));
    vertx = Vertx.vertx();
    GridBucketRegistry buckets = new GridBucketRegistry(new StoreTables(registryStore));
    RocksObjectBackend backend = new RocksObjectBackend(objectStore, SystemTime.INSTANCE, new SecureRandom());
    Map<String, Credential> keys = Map.of(ALICE.accessKeyId(), ALICE, MALLORY.accessKeyId(), MALLORY, READER.accessKeyId(), READER);
    s3 = new S3Server(vertx, S3ServerConfig.of("127.0.0.1", 0, REGION, ""), id -> Optional.ofNullable(keys.get(id)), buckets,
        backend, SystemTime.INSTANCE, new SimpleMeterRegistry(), S3Server.IMAGE_READER_ACCOUNT, new SecureRandom());
    URI endpoint = URI.create("http://127.0.0.1:" + s3.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    ObjectDigester digester = new ObjectDigester(backend);
    images = new ImageService(new InMemoryTable<>(), new InMemoryTable<>(), new MemoryTagStore(),
        new ResourceIds(new SplittableRandom(7)), SystemTime.INSTANCE, new OwnedImageObjects(buckets, digester::digest));
    delivery = new PresignedImageDelivery(images, digester::digest, () -> List.of(endpoint), READER, REGION, SystemTime.INSTANCE,
        Duration.ofMinutes(15));
    alice = client(endpoint, ALICE);
    mallory = client(endpoint, MALLORY);
  }

  @AfterEach
  void stop() throws Exception {
    alice.close();
    mallory.close();
    s3.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    objectStore.close();
    registryStore.close();
  }

  private static S3Client client(URI endpoint, Credential credential) {
    return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(credential.accessKeyId(), credential.secretAccessKey())))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  private static HttpResponse<byte[]> download(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void anImageWhoseBucketNameWasTakenByAnotherTenantNeverHandsOutTheirDisk() throws Exception {
    byte[] disk = new byte[64 * 1024];
    alice.createBucket(b -> b.bucket("golden-disks"));
    alice.putObject(b -> b.bucket("golden-disks").key("web.img"), RequestBody.fromBytes(disk));
    Image image = images.register(ALICE.accountId(),
        new RegisterImageRequest("web", null, "golden-disks/web.img", null, "x86_64", null, null));
    ImageFiles before = delivery.files(ALICE.accountId(), image);
    assertThat(download(before.disk().url()).body()).isEqualTo(disk);

    alice.deleteObject(b -> b.bucket("golden-disks").key("web.img"));
    alice.deleteBucket(b -> b.bucket("golden-disks"));
    mallory.createBucket(b -> b.bucket("golden-disks"));
    byte[] planted = new byte[64 * 1024];
    Arrays.fill(planted, (byte) 0x5a);
    mallory.putObject(b -> b.bucket("golden-disks").key("web.img"), RequestBody.fromBytes(planted));

    // A launch now is refused, naming the object that is gone.
    assertThatThrownBy(() -> delivery.files(ALICE.accountId(), image))
        .isInstanceOfSatisfying(AwsException.class, e -> {
          assertThat(e.code()).isEqualTo("InvalidParameterValue");
          assertThat(e.getMessage()).contains("golden-disks/web.img").contains("no longer exists");
        });
    // A link handed to a node before the swap does not fetch Mallory's disk either.
    HttpResponse<byte[]> late = download(before.disk().url());
    assertThat(late.statusCode()).isEqualTo(404);
    assertThat(new String(late.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("<Code>NoSuchBucket</Code>");
  }
}
