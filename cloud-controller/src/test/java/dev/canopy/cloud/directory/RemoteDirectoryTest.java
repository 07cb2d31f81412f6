package dev.canopy.cloud.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.CredentialLookup;
import dev.canopy.cloud.ca.TlsCredentials;
import dev.canopy.core.time.ManualTime;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.storage.directory.RemoteDirectory;
import dev.canopy.storage.s3.BucketRecord;
import dev.canopy.storage.s3.BucketRegistry;
import dev.canopy.storage.s3.DirectoryUnavailableException;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A storage node's {@link RemoteDirectory} against real directory servers (real sockets, TLS and
 * CA): failover, outages, trust, and when its caches let a change show.
 */
class RemoteDirectoryTest {

  private static final Credential ALICE = new Credential("AKIAALICE00000000001", "alice-secret-key-0123456789", "111111111111");
  private static final Credential BOB = new Credential("AKIABOB0000000000001", "bob-secret-key-0123456789", "222222222222");

  private final DirectoryPki pki = new DirectoryPki("remote-directory-test");
  private final TlsCredentials storage = pki.storage("st-1");
  private final MemoryDirectory directory = new MemoryDirectory();
  private final List<StorageDirectoryServer> servers = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    directory.add(ALICE);
  }

  @AfterEach
  void stop() throws Exception {
    for (StorageDirectoryServer server : servers) {
      server.close().toCompletionStage().toCompletableFuture().get();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  /** A controller serving {@code served} with certificate {@code tls}. */
  private StorageDirectoryServer serve(MemoryDirectory served, TlsCredentials tls) throws Exception {
    StorageDirectoryServer server =
        new StorageDirectoryServer(vertx, tls, served.credentials(), served.buckets(), served.changes(), SystemTime.INSTANCE);
    servers.add(server);
    return server;
  }

  private URI listen(StorageDirectoryServer server) throws Exception {
    return URI.create("https://127.0.0.1:" + server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get());
  }

  private URI controller() throws Exception {
    return listen(serve(directory, pki.controller("1")));
  }

  private RemoteDirectory remote(Time time, URI... controllers) {
    return new RemoteDirectory(List.of(controllers), DirectoryPeers.storageClientContext(storage, SystemTime.INSTANCE), time);
  }

  /** An address where nothing listens: the port was free a moment ago. */
  private static URI dead() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("https://127.0.0.1:" + socket.getLocalPort());
    }
  }

  private static BucketRecord bucket(String name, String owner) {
    return new BucketRecord(name, owner, Instant.parse("2026-01-02T03:04:05Z"), "canopy-1");
  }

  @Test
  void aDeadControllerOrOneThatCannotReadTheGridIsPassedOver() throws Exception {
    URI live = controller();
    assertThat(remote(SystemTime.INSTANCE, dead(), live).credentials().find(ALICE.accessKeyId())).contains(ALICE);

    MemoryDirectory broken = new MemoryDirectory();
    broken.failing(true);
    URI answers503 = listen(serve(broken, pki.controller("2")));
    RemoteDirectory directory = remote(SystemTime.INSTANCE, answers503, live);
    assertThat(directory.credentials().find(ALICE.accessKeyId())).contains(ALICE);
    assertThat(directory.buckets().create(bucket("photos", ALICE.accountId()))).isTrue();
    assertThat(this.directory.buckets().find("photos")).isPresent();
  }

  @Test
  void noControllerAnsweringIsTheUnavailableExceptionWithoutTheSecret() throws Exception {
    RemoteDirectory nobody = remote(SystemTime.INSTANCE, dead(), dead());
    assertThatThrownBy(() -> nobody.credentials().find(ALICE.accessKeyId())).isInstanceOf(DirectoryUnavailableException.class)
        .hasMessageContaining(ALICE.accessKeyId()).hasMessageNotContaining(ALICE.secretAccessKey());
    assertThatThrownBy(() -> nobody.buckets().find("photos")).isInstanceOf(DirectoryUnavailableException.class);
    assertThatThrownBy(() -> nobody.buckets().create(bucket("photos", "111111111111"))).isInstanceOf(DirectoryUnavailableException.class);
    assertThatThrownBy(() -> nobody.buckets().listByOwner("111111111111")).isInstanceOf(DirectoryUnavailableException.class);

    // A controller whose grid fails is no better than none.
    directory.failing(true);
    RemoteDirectory failing = remote(SystemTime.INSTANCE, controller());
    assertThatThrownBy(() -> failing.credentials().find(ALICE.accessKeyId())).isInstanceOf(DirectoryUnavailableException.class)
        .hasMessageContaining("503");
  }

  @Test
  void aStorageNodeTrustsOnlyAControllerOfItsCloud() throws Exception {
    URI impostor = listen(serve(directory, pki.storage("st-2")));
    assertThatThrownBy(() -> remote(SystemTime.INSTANCE, impostor).credentials().find(ALICE.accessKeyId()))
        .isInstanceOf(DirectoryUnavailableException.class);
    URI otherCloud = listen(serve(directory, new DirectoryPki("another-cloud").controller("1")));
    assertThatThrownBy(() -> remote(SystemTime.INSTANCE, otherCloud).credentials().find(ALICE.accessKeyId()))
        .isInstanceOf(DirectoryUnavailableException.class);
  }

  @Test
  void itsOwnWritesShowAtOnce() throws Exception {
    BucketRegistry buckets = remote(new ManualTime(), controller()).buckets();
    assertThat(buckets.find("photos")).isEmpty();
    assertThat(buckets.create(bucket("photos", "111111111111"))).isTrue();
    assertThat(buckets.find("photos")).contains(bucket("photos", "111111111111"));
    assertThat(buckets.create(bucket("photos", "222222222222"))).as("taken by another").isFalse();
    assertThat(buckets.create(bucket("photos", "111111111111"))).as("a repeat of the same create").isTrue();
    assertThat(buckets.create(bucket("logs", "111111111111"))).isTrue();
    assertThat(buckets.listByOwner("111111111111")).extracting(BucketRecord::name).containsExactly("logs", "photos");

    buckets.delete("photos");
    assertThat(buckets.find("photos")).isEmpty();
    assertThat(buckets.listByOwner("111111111111")).extracting(BucketRecord::name).containsExactly("logs");
  }

  @Test
  void aDeletedKeyStopsAndANewBucketShowsWhenTheChangeCounterMovesLongBeforeTheEntriesAge() throws Exception {
    ManualTime time = new ManualTime();
    RemoteDirectory remote = remote(time, controller());
    CredentialLookup credentials = remote.credentials();
    assertThat(credentials.find(ALICE.accessKeyId())).contains(ALICE);
    assertThat(remote.buckets().find("made-elsewhere")).isEmpty();

    directory.remove(ALICE);
    directory.buckets().create(bucket("made-elsewhere", "111111111111"));
    assertThat(credentials.find(ALICE.accessKeyId())).as("cached until the next look at the counters").contains(ALICE);

    time.advance(RemoteDirectory.CHANGES_POLL_INTERVAL);
    assertThat(credentials.find(ALICE.accessKeyId())).isEmpty();
    assertThat(remote.buckets().find("made-elsewhere")).isPresent();
    assertThat(time.elapsed()).isLessThan(RemoteDirectory.FOUND_TTL);
  }

  @Test
  void aMissIsKeptOnlyBriefly() throws Exception {
    ManualTime time = new ManualTime();
    CredentialLookup credentials = remote(time, controller()).credentials();
    assertThat(credentials.find(BOB.accessKeyId())).isEmpty();
    directory.add(BOB);
    assertThat(credentials.find(BOB.accessKeyId())).as("the miss is cached").isEmpty();
    time.advance(RemoteDirectory.MISS_TTL);
    assertThat(credentials.find(BOB.accessKeyId())).contains(BOB);
  }

  @Test
  void cachedEntriesOutliveAShortOutageButNotTheirAge() throws Exception {
    ManualTime time = new ManualTime();
    StorageDirectoryServer server = serve(directory, pki.controller("1"));
    CredentialLookup credentials = remote(time, listen(server)).credentials();
    assertThat(credentials.find(ALICE.accessKeyId())).contains(ALICE);

    server.close().toCompletionStage().toCompletableFuture().get();
    time.advance(RemoteDirectory.CHANGES_POLL_INTERVAL);
    assertThat(credentials.find(ALICE.accessKeyId())).contains(ALICE);
    time.advance(RemoteDirectory.FOUND_TTL);
    assertThatThrownBy(() -> credentials.find(ALICE.accessKeyId())).isInstanceOf(DirectoryUnavailableException.class);
  }

  @Test
  void failingOverToAnotherControllerDropsTheCachesEvenWhenItsCountersHappenToMatch() throws Exception {
    // Counters are per controller process: equal numbers from another source say nothing.
    directory.add(BOB); // the first controller has counted two key changes; Alice is there
    MemoryDirectory seenBySecond = new MemoryDirectory();
    seenBySecond.add(ALICE);
    seenBySecond.remove(ALICE); // the second has counted two as well, and Alice is gone
    ManualTime time = new ManualTime();
    StorageDirectoryServer first = serve(directory, pki.controller("1"));
    URI second = listen(serve(seenBySecond, pki.controller("2")));
    CredentialLookup credentials = remote(time, listen(first), second).credentials();
    assertThat(credentials.find(ALICE.accessKeyId())).contains(ALICE);

    first.close().toCompletionStage().toCompletableFuture().get();
    time.advance(RemoteDirectory.CHANGES_POLL_INTERVAL);

    assertThat(credentials.find(ALICE.accessKeyId())).as("a deleted key must not live on in the cache").isEmpty();
    assertThat(time.elapsed()).isLessThan(RemoteDirectory.FOUND_TTL);
  }

  @Test
  void aBucketCreatedElsewhereUnderANameThisNodeJustMissedIsSeenOnceTheMissAgesAndIsNotTakenAgain() throws Exception {
    ManualTime time = new ManualTime();
    BucketRegistry buckets = remote(time, controller()).buckets();
    assertThat(buckets.find("contested")).isEmpty();

    directory.buckets().create(bucket("contested", BOB.accountId()));

    assertThat(buckets.create(bucket("contested", ALICE.accountId()))).as("the name is Bob's now").isFalse();
    assertThat(buckets.find("contested")).as("a refused create drops the stale miss at once")
        .contains(bucket("contested", BOB.accountId()));
    assertThat(directory.buckets().find("contested")).contains(bucket("contested", BOB.accountId()));
  }

  @Test
  void namesThatCannotExistAreNeverAskedFor() throws Exception {
    RemoteDirectory nobody = remote(SystemTime.INSTANCE, dead());
    assertThat(nobody.credentials().find("not/a key")).isEmpty();
    assertThat(nobody.credentials().find("")).isEmpty();
    assertThat(nobody.buckets().find("Not_A_Bucket")).isEmpty();
  }
}
