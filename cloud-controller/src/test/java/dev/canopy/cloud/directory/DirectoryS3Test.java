package dev.canopy.cloud.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridBucketRegistry;
import dev.canopy.cloud.grid.GridMaps;
import dev.canopy.cloud.identity.AccessKey;
import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.AccountName;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.core.time.SystemTime;
import dev.canopy.storage.directory.RemoteDirectory;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import dev.canopy.storage.s3.S3Server;
import dev.canopy.storage.s3.S3ServerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
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
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A storage node's S3 API fed by the controllers' directory, end to end: the controller's grid
 * (accounts, keys and buckets), its directory server over mutual TLS, a {@link RemoteDirectory}
 * and a real {@link S3Server}, driven by the AWS SDK for Java v2.
 */
class DirectoryS3Test {

  private static final String REGION = "canopy-1";
  /** Hazelcast delivers a change's event shortly after the write; the client looks once a second. */
  private static final Duration CHANGE_VISIBLE_MAX = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();
  private final DirectoryPki pki = new DirectoryPki("directory-s3-test");
  private final List<S3Client> clients = new ArrayList<>();
  private LocalStore gridStore;
  private LocalStore objectStore;
  private Grid grid;
  private GridDirectoryChanges changes;
  private IdentityService identity;
  private Vertx vertx;
  private StorageDirectoryServer directory;
  private S3Server s3;
  private URI s3Endpoint;

  @BeforeEach
  void start() throws Exception {
    gridStore = LocalStore.open(dir.resolve("grid"));
    grid = Grid.startStandalone("directory-s3-" + System.nanoTime(), "127.0.0.1", 5701, gridStore);
    identity = new IdentityService(grid.map(GridMaps.ACCOUNTS, Account.class), grid.map(GridMaps.ACCOUNT_NAMES, AccountName.class),
        grid.map(GridMaps.ACCESS_KEYS, AccessKey.class), new SecretBox(MasterKey.generate(random), random), random, SystemTime.INSTANCE);
    changes = GridDirectoryChanges.watch(grid);
    vertx = Vertx.vertx();
    // The controller's side.
    directory = new StorageDirectoryServer(vertx, pki.controller("1"), identity.credentials(), new GridBucketRegistry(grid), changes,
        SystemTime.INSTANCE);
    int directoryPort = await(directory.listen("127.0.0.1", 0));
    // The storage node's side: no grid, only the directory's URL and its own certificate.
    RemoteDirectory remote = new RemoteDirectory(List.of(URI.create("https://127.0.0.1:" + directoryPort)),
        DirectoryPeers.storageClientContext(pki.storage("st-1"), SystemTime.INSTANCE), SystemTime.INSTANCE);
    objectStore = LocalStore.open(dir.resolve("objects"));
    s3 = new S3Server(vertx, S3ServerConfig.of("127.0.0.1", 0, REGION, ""), remote.credentials(), remote.buckets(),
        new RocksObjectBackend(objectStore, SystemTime.INSTANCE, random), SystemTime.INSTANCE, new SimpleMeterRegistry(), random);
    s3Endpoint = URI.create("http://127.0.0.1:" + await(s3.start()));
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(S3Client::close);
    await(s3.close());
    await(directory.close());
    await(vertx.close());
    changes.close();
    grid.close();
    objectStore.close();
    gridStore.close();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private S3Client client(Credential credential) {
    S3Client client = S3Client.builder()
        .endpointOverride(s3Endpoint)
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(credential.accessKeyId(), credential.secretAccessKey())))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
    clients.add(client);
    return client;
  }

  private static void assertS3Error(ThrowingCallable call, int status, String code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
    });
  }

  @Test
  void aTenantWorksOnAStorageNodeThatReadsTheDirectoryAndAnotherAccountIsDenied() {
    S3Client alice = client(identity.createAccount("alice").credential());
    S3Client bob = client(identity.createAccount("bob").credential());

    alice.createBucket(b -> b.bucket("photos"));
    alice.putObject(b -> b.bucket("photos").key("hello.txt"), RequestBody.fromString("hello, directory"));
    assertThat(alice.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asString(StandardCharsets.UTF_8))
        .isEqualTo("hello, directory");
    assertThat(alice.listBuckets().buckets()).extracting(Bucket::name).containsExactly("photos");
    assertThat(new GridBucketRegistry(grid).find("photos")).as("registered in the controllers' grid").isPresent();

    assertS3Error(() -> bob.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")), 403, "AccessDenied");
    assertS3Error(() -> bob.putObject(b -> b.bucket("photos").key("mine.txt"), RequestBody.fromString("x")), 403, "AccessDenied");
    assertS3Error(() -> bob.createBucket(b -> b.bucket("photos")), 409, "BucketAlreadyExists");
    assertThat(bob.listBuckets().buckets()).isEmpty();
  }

  @Test
  void keysCreatedOrDeletedOnTheControllersTakeEffectOnTheStorageNode() {
    var carol = identity.createAccount("carol");
    S3Client client = client(carol.credential());
    assertThat(client.listBuckets().buckets()).isEmpty();

    identity.deleteAccount("carol", accountId -> List.of());
    Awaitility.await().atMost(CHANGE_VISIBLE_MAX).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertS3Error(() -> client.listBuckets(), 403, "InvalidAccessKeyId"));

    // A key the storage node just found missing works as soon as it exists.
    S3Client dave = client(new Credential("AKIADAVE000000000000", "not-yet", "000000000000"));
    assertS3Error(() -> dave.listBuckets(), 403, "InvalidAccessKeyId");
    S3Client erin = client(identity.createAccount("erin").credential());
    Awaitility.await().atMost(CHANGE_VISIBLE_MAX).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(erin.listBuckets().buckets()).isEmpty());
  }

  @Test
  void aDirectoryOutageIsServiceUnavailableInS3sOwnShape() throws Exception {
    S3Client frank = client(identity.createAccount("frank").credential());
    await(directory.close());
    assertS3Error(() -> frank.listBuckets(), 503, "ServiceUnavailable");
  }
}
