package dev.canopy.deploy.storage;

import java.util.TreeMap;
import java.time.Duration;
import java.nio.file.Files;
import dev.canopy.storage.local.LocalStore;
import dev.canopy.cloud.bootstrap.CloudIdentityStore;
import dev.canopy.cloud.bootstrap.CloudIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.storeclient.RemoteSystemStore;
import dev.canopy.cloud.storeclient.RetryPolicy;
import dev.canopy.core.time.SystemTime;
import dev.canopy.deploy.Causes;
import dev.canopy.deploy.cluster.CloudInit;
import dev.canopy.deploy.config.CanopyConfig;
import dev.canopy.deploy.config.Ports;
import dev.canopy.deploy.process.CloudBundle;
import dev.canopy.deploy.process.ProcessMetrics;
import dev.canopy.deploy.process.ProcessParts;
import io.vertx.core.Vertx;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage role's wiring: what it serves, to whom, and on which data it refuses to start. */
class StorageRoleTest {

  @TempDir
  Path dir;

  /** Every port any free one, on loopback. */
  private static final CanopyConfig ANY_PORTS = CanopyConfig.defaults().withPorts(new Ports(0, 0, 0, 0).withRiak(0).withPeerDefaults(0, 0, 0, 0, 0));

  private final SecureRandom random = new SecureRandom();
  private Vertx vertx;

  private ProcessParts parts() {
    return new ProcessParts(vertx, SystemTime.INSTANCE, random, ProcessMetrics.create());
  }

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void servesTheInitialisedStoreToControllersOverMutualTls() throws Exception {
    Path cloud = dir.resolve("cloud");
    CloudInit.create(cloud, cloud.resolve("storage-1"), "canopy-1", Optional.empty(), SystemTime.INSTANCE, random);
    Path identity = CloudInit.identityDir(cloud);
    ProcessParts parts = parts();
    try (StorageRole role = StorageRole.start(
        new StorageRole.Settings(identity, cloud.resolve("storage-1"), "1", ANY_PORTS, List::of), parts)) {
      String kv = role.endpoints().get("kv");
      assertThat(kv).startsWith("https://127.0.0.1:");

      CertificateAuthority ca = CertificateAuthority.fromRecord(CloudBundle.read(identity).ca(),
          new SecretBox(CloudBundle.masterKey(identity), random), SystemTime.INSTANCE, random);
      var controller = ca.controllerCredentials("1", List.of("127.0.0.1"), CertificateAuthority.SERVER_VALIDITY);
      RemoteSystemStore store = RemoteSystemStore.connect(URI.create(kv), controller, SystemTime.INSTANCE, RetryPolicy.DEFAULT);
      store.put("role-test", "k", "v".getBytes(StandardCharsets.UTF_8));
      assertThat(store.get("role-test", "k")).map(b -> new String(b, StandardCharsets.UTF_8)).contains("v");
      // A batch read goes through the role's whole stack too (fence, replicated store, its quorum reads).
      assertThat(store.getAll("role-test", List.of("k", "absent"))).containsOnlyKeys("k");
      // What init seeded is there: the accounts the first start created.
      assertThat(store.loadAll("accounts")).isNotEmpty();
      // The replicated store's requests are on the process's /metrics.
      assertThat(parts.metrics().scrape()).containsPattern("canopy_kv_requests_total\\{op=\"put\"} [1-9]")
          .containsPattern("canopy_kv_requests_total\\{op=\"get\"} [1-9]");

      // S3 is served too; with no controller's directory to read keys from, a signed request is
      // told to retry (503 ServiceUnavailable), not refused as if the key did not exist.
      String s3 = role.endpoints().get("s3");
      assertThat(s3).startsWith("http://127.0.0.1:");
      try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3)).region(Region.of("canopy-1")).forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE0000000000", "secret")))
          .overrideConfiguration(c -> c.retryPolicy(software.amazon.awssdk.core.retry.RetryPolicy.none())).build()) {
        assertThatThrownBy(client::listBuckets).isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
        });
      }
    }
  }

  @Test
  void refusesTheDataOfAnotherCloud() throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    CloudInit.create(first, first.resolve("storage-1"), "canopy-1", Optional.empty(), SystemTime.INSTANCE, random);
    CloudInit.create(second, second.resolve("storage-1"), "canopy-1", Optional.empty(), SystemTime.INSTANCE, random);

    assertThatThrownBy(() -> StorageRole.start(new StorageRole.Settings(CloudInit.identityDir(first), second.resolve("storage-1"), "1",
        ANY_PORTS, List::of), parts()))
        .hasMessageContaining("master key");
  }

  @Test
  void anEmptyFolderIsRefusedUnlessItIsANewNodesAndThenTakesTheCloudsIdentity() throws Exception {
    Path cloud = dir.resolve("cloud");
    CloudInit.create(cloud, cloud.resolve("storage-1"), "canopy-1", Optional.empty(), SystemTime.INSTANCE, random);
    Path identity = CloudInit.identityDir(cloud);
    Path fresh = dir.resolve("typo");

    assertThatThrownBy(() -> StorageRole.start(new StorageRole.Settings(identity, fresh, "4", ANY_PORTS, List::of), parts()))
        .hasMessageContaining("holds no data of a cloud").hasMessageContaining("--new");
    assertThat(storedIdentity(fresh, identity)).as("nothing written on a refused start").isEmpty();

    var asNew = new StorageRole.Settings(identity, fresh, "4", ANY_PORTS, List::of, new TreeMap<>(), 64,
        Duration.ofMinutes(10), true);
    try (StorageRole role = StorageRole.start(asNew, parts())) {
      assertThat(role.endpoints()).containsKey("riak");
    }
    assertThat(storedIdentity(fresh, identity)).map(CloudIdentity::cloudName).contains(CloudBundle.read(identity).cloudName());
    // From then on it is this cloud's data: a plain start takes it.
    try (StorageRole again = StorageRole.start(new StorageRole.Settings(identity, fresh, "4", ANY_PORTS, List::of), parts())) {
      assertThat(again.endpoints()).containsKey("kv");
    }
  }

  private Optional<CloudIdentity> storedIdentity(Path data, Path identity) throws Exception {
    if (!Files.exists(data.resolve("store"))) {
      return Optional.empty();
    }
    try (LocalStore store = LocalStore.open(data.resolve("store"))) {
      return new CloudIdentityStore(store, new SecretBox(CloudBundle.masterKey(identity), random)).loadChecked();
    }
  }

  @Test
  void aSecondRoleOnTheSameDataIsRefusedAndTheFirstKeepsServing() throws Exception {
    Path cloud = dir.resolve("cloud");
    CloudInit.create(cloud, cloud.resolve("storage-1"), "canopy-1", Optional.empty(), SystemTime.INSTANCE, random);
    var settings = new StorageRole.Settings(CloudInit.identityDir(cloud), cloud.resolve("storage-1"), "1", ANY_PORTS, List::of);
    try (StorageRole first = StorageRole.start(settings, parts())) {
      assertThatThrownBy(() -> StorageRole.start(settings, parts()))
          .satisfies(e -> assertThat(Causes.describe(e)).contains("cannot open local store").containsIgnoringCase("lock"));
      assertThat(first.endpoints()).containsKey("kv");
    }
  }
}
