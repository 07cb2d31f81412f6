package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.storage.local.RocksObjectBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A real S3 server for component tests: Vert.x on an ephemeral port, a RocksDB store in a
 * temporary directory, an in-memory bucket registry and two accounts, with Alice's client ready.
 */
final class S3TestServer implements AutoCloseable {

  static final String REGION = "canopy-test-1";
  static final String BASE_DOMAIN = "s3.localhost";
  static final Credential ALICE = new Credential("AKIAALICE0000000001", "alice-secret-key", "111111111111");
  static final Credential BOB = new Credential("AKIABOB00000000000001", "bob-secret-key", "222222222222");

  final Vertx vertx;
  final LocalStore store;
  final InMemoryBucketRegistry registry;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final S3Server server;
  final int port;
  /** Alice's path-style client; closed with the server. */
  final S3Client alice;

  S3TestServer(Path dir) throws Exception {
    this(dir, new InMemoryBucketRegistry());
  }

  /**
   * A server on an existing store directory and bucket registry: after {@link #close()}, the same
   * two make a restarted server that must find everything the first one acknowledged.
   */
  S3TestServer(Path dir, InMemoryBucketRegistry registry) throws Exception {
    this(dir, registry, server -> server);
  }

  /** A server that {@code setup} configures before it starts (limits, for instance). */
  S3TestServer(Path dir, java.util.function.UnaryOperator<S3Server> setup) throws Exception {
    this(dir, new InMemoryBucketRegistry(), setup);
  }

  private S3TestServer(Path dir, InMemoryBucketRegistry registry, java.util.function.UnaryOperator<S3Server> setup)
      throws Exception {
    this(dir, registry, setup, store -> new RocksObjectBackend(store, Clock.systemUTC(), new java.util.Random(3)));
  }

  /**
   * A server on the replicated store's backend, one real KV node in memory, as every topology
   * serves S3 (versioning lives only there). The RocksDB store in {@code dir} is opened but unused.
   */
  static S3TestServer onKvStore(Path dir) throws Exception {
    return new S3TestServer(dir, new InMemoryBucketRegistry(), server -> server, store -> OneKvNode.backend());
  }

  private S3TestServer(Path dir, InMemoryBucketRegistry registry, java.util.function.UnaryOperator<S3Server> setup,
      java.util.function.Function<LocalStore, dev.canopy.storage.backend.ObjectBackend> backendOf) throws Exception {
    this.registry = registry;
    vertx = Vertx.vertx();
    store = LocalStore.open(dir);
    Map<String, Credential> keys = Map.of(ALICE.accessKeyId(), ALICE, BOB.accessKeyId(), BOB);
    CredentialLookup lookup = id -> Optional.ofNullable(keys.get(id));
    server = setup.apply(new S3Server(vertx, S3ServerConfig.of("127.0.0.1", 0, REGION, BASE_DOMAIN), lookup, registry,
        backendOf.apply(store), Clock.systemUTC(), meters, new java.util.Random(5)));
    port = await(server.start());
    alice = client(ALICE);
  }

  /** A server on which Alice already owns {@code bucket}. */
  static S3TestServer withBucket(Path dir, String bucket) throws Exception {
    S3TestServer s3 = new S3TestServer(dir);
    try {
      s3.alice.createBucket(b -> b.bucket(bucket));
    } catch (RuntimeException e) {
      s3.close();
      throw e;
    }
    return s3;
  }

  /** Test data that is the same on every run. */
  static byte[] randomBytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  S3Client client(Credential credential) {
    return client(credential.accessKeyId(), credential.secretAccessKey());
  }

  S3Client client(String accessKeyId, String secret) {
    return client(accessKeyId, secret, b -> {});
  }

  /** A client with some setting changed, e.g. when it computes request checksums. */
  S3Client client(Credential credential, Consumer<S3ClientBuilder> tweak) {
    return client(credential.accessKeyId(), credential.secretAccessKey(), tweak);
  }

  private S3Client client(
      String accessKeyId, String secret, Consumer<S3ClientBuilder> tweak) {
    S3ClientBuilder builder = S3Client.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()));
    tweak.accept(builder);
    return builder.build();
  }

  /** Virtual-host style: the SDK puts the bucket in the Host; every name resolves to loopback. */
  S3Client virtualHostClient(Credential credential) {
    return S3Client.builder()
        .endpointOverride(URI.create("http://" + BASE_DOMAIN + ":" + port))
        .forcePathStyle(false)
        .region(Region.of(REGION))
        .httpClient(Apache5HttpClient.builder()
            .dnsResolver(new org.apache.hc.client5.http.DnsResolver() {
              @Override
              public InetAddress[] resolve(String host) {
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
              }

              @Override
              public String resolveCanonicalHostname(String host) {
                return host;
              }
            })
            .build())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(credential.accessKeyId(), credential.secretAccessKey())))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  S3AsyncClient asyncClient(Credential credential) {
    return S3AsyncClient.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(credential.accessKeyId(), credential.secretAccessKey())))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  /** Asserts the call fails with this S3 status and (when non-null) error code. */
  static void assertS3Error(ThrowingCallable call, int status, String code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
          if (code != null) {
            org.assertj.core.api.Assertions.assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
          }
        });
  }

  @Override
  public void close() throws Exception {
    try {
      alice.close();
      await(server.close());
      await(vertx.close());
    } finally {
      store.close();
    }
  }
}
