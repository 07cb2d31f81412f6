package dev.canopy.cloud.ec2;

import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.FlakyStore;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridMaps;
import dev.canopy.cloud.identity.AccessKey;
import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.AccountName;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.storage.local.LocalStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A real EC2 endpoint for component tests: the Query server on an ephemeral port over a real
 * grid and store in a temporary folder, with the action families a test class asks for, driven
 * by the AWS SDK for Java v2.
 */
public final class Ec2TestCloud implements AutoCloseable {

  public static final String REGION = "canopy-1";

  /** What action families are built from. */
  public record Parts(Grid grid, IdentityService identity, dev.canopy.core.time.Time clock, SecureRandom random, String region) {}

  private final LocalStore store;
  /** The grid writes through this, so a test can make the store fail like a full disk. */
  private final FlakyStore durable;
  private final Grid grid;
  private final Vertx vertx;
  private final Parts parts;
  private final Ec2Server server;
  private final int port;
  private final List<Ec2Client> clients = new ArrayList<>();

  private Ec2TestCloud(Path dir, Function<Parts, List<Ec2Action>> families, Ec2Throttle throttle) throws Exception {
    SecureRandom random = new SecureRandom();
    dev.canopy.core.time.Time clock = dev.canopy.core.time.SystemTime.INSTANCE;
    store = LocalStore.open(dir.resolve("store"));
    durable = new FlakyStore(store);
    grid = Grid.startStandalone("ec2-test-" + System.nanoTime(), "127.0.0.1", 5701, durable);
    IdentityService identity = new IdentityService(
        grid.map(GridMaps.ACCOUNTS, Account.class), grid.map(GridMaps.ACCOUNT_NAMES, AccountName.class),
        grid.map(GridMaps.ACCESS_KEYS, AccessKey.class), new SecretBox(MasterKey.generate(random), random), random, clock);
    parts = new Parts(grid, identity, clock, random, REGION);
    Ec2Actions actions = Ec2Actions.forCloud(new RegionCatalog(REGION, List.of(REGION + "a"), "127.0.0.1"));
    actions.register(families.apply(parts));
    vertx = Vertx.vertx();
    server = new Ec2Server(vertx,
        new SigV4Verifier(identity.credentials(), clock, SigV4Verifier.SKEW_MAX_DEFAULT, REGION, "ec2"),
        actions, new SimpleMeterRegistry(), throttle);
    port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public static Ec2TestCloud start(Path dir, Function<Parts, List<Ec2Action>> families) throws Exception {
    return new Ec2TestCloud(dir, families, Ec2Throttle.NONE);
  }

  /** With a request rate limit on the endpoint. */
  public static Ec2TestCloud start(Path dir, Function<Parts, List<Ec2Action>> families, Ec2Throttle throttle) throws Exception {
    return new Ec2TestCloud(dir, families, throttle);
  }

  public Parts parts() {
    return parts;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Where this endpoint forwards leader-only calls it cannot serve, as a follower controller does. */
  public void forwardLeaderCallsWith(LeaderForwarding forwarding) {
    server.withLeaderForwarding(forwarding);
  }

  /** From now on every durable write of the grid fails (true) or goes through again (false). */
  public void failStoreWrites(boolean fail) {
    durable.failWrites(fail);
  }

  public NewAccount newAccount(String name) {
    return parts.identity().createAccount(name);
  }

  /** An SDK client signing as the account's first key; closed with the cloud. */
  public Ec2Client client(NewAccount account) {
    Ec2Client client = Ec2Client.builder()
        .endpointOverride(endpoint())
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            account.credential().accessKeyId(), account.credential().secretAccessKey())))
        .build();
    clients.add(client);
    return client;
  }

  @Override
  public void close() throws Exception {
    clients.forEach(Ec2Client::close);
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    grid.close();
    store.close();
  }
}
