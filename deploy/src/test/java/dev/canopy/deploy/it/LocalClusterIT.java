package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Three controllers, one storage process and two node agents as separate processes
 * ({@code canopy local-cluster up}), driven with the AWS SDK and signals: the lease moves when
 * its holder is killed, stopped, cut off or paused, and nothing a stale holder sends takes effect.
 * The tests share one cluster (starting one takes a minute). Each starts from three steadily
 * running controllers ({@link #allControllersRunSteadily}), makes the instances it needs, and leaves
 * every controller running its normal command line, so they run in JUnit's default order, not a
 * written one. Each begins once the holder sees every node agent available
 * ({@link LocalClusterHarness#awaitSteady}). An order once mattered: a launch right after the
 * lease moved was placed on a node heart-beating to another controller but with no session to the
 * new holder yet, and ended terminated; the scheduler now places only on nodes with a session to
 * it ({@code RegistryNodesTest}).
 */
@Isolated
class LocalClusterIT {

  private static final Duration LIVENESS = Duration.ofSeconds(60);
  private static final String SUBNET = "127.0.7";
  private static final String OPERATOR_PASSWORD = "an operator passphrase";
  private static final Pattern COMMAND_RUN = Pattern.compile("running command \\S+ \\((\\w+)\\) under epoch (\\d+)");
  private static LocalClusterHarness cluster;
  private static Path dir;
  private static String imageId;

  @BeforeAll
  static void up() throws Exception {
    dir = Files.createTempDirectory("canopy-cluster-it");
    cluster = LocalClusterHarness.up(dir, SUBNET, 3, 2, "--storage", "1");
    try (Ec2Client ec2 = cluster.ec2(1)) {
      imageId = ec2.describeImages(r -> r.filters(f -> f.name("name").values("canopy-tiny"))).images().get(0).imageId();
    }
  }

  @BeforeEach
  void allControllersRunSteadily() throws Exception {
    cluster.ensureAllRunning();
    cluster.awaitSteady();
  }

  @AfterAll
  static void down() throws Exception {
    LocalClusterHarness.downAndClean(cluster, dir, "local-cluster-it-logs");
  }

  @Test
  void everyControllerNamesTheSameHolderAndStatusShowsTheWholeCloud() throws Exception {
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
    JsonNode lease = cluster.lease(holder).orElseThrow();
    assertThat(lease.path("epoch").asLong()).isPositive();
    assertThat(lease.path("remainingMs").asLong()).isPositive();
    assertThat(lease.path("acceptors").toString()).isEqualTo("[1,2,3]");
    for (int other : cluster.others(holder)) {
      assertThat(cluster.lease(other).orElseThrow().path("remainingMs").isNull()).as("controller %d holds nothing", other).isTrue();
    }

    var status = CanopyCli.run(dir, "status", "--cluster", dir.resolve("cluster.json").toString());
    assertThat(status.exit()).as(status.stderr()).isZero();
    assertThat(status.stdout()).containsOnlyOnce(" holder ").contains("follower").contains("STORAGE").contains("https://127.0.7.101:8777");
    assertThat(status.stdout().lines().filter(l -> l.contains("AVAILABLE")).count()).isEqualTo(2);
  }

  @Test
  void everyControllerServesTheConsoleOverHttpsWithACertificateOfTheCloudsCaAndSecureSessionCookies() throws Exception {
    setOperatorPassword();
    HttpClient trusting = HttpClient.newBuilder().sslContext(ConsoleTls.trusting(dir.resolve("ca.pem"))).build();
    for (int id : cluster.controllerIds()) {
      URI console = URI.create(cluster.controller(id).path("console").asText());
      assertThat(console.getScheme()).isEqualTo("https");

      // A client that does not know the cloud's CA refuses the certificate; one that does accepts
      // it under the controller's own address (the JDK checks the name).
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(console.resolve("/")).build(),
          HttpResponse.BodyHandlers.discarding())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      HttpResponse<String> page = trusting.send(HttpRequest.newBuilder(console.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Canopy console");

      assertThat(operatorSession(trusting, id)).startsWith("canopy_session=").containsIgnoringCase("; Secure");
    }
  }

  private static void setOperatorPassword() throws Exception {
    Path password = dir.resolve("console-password");
    Files.writeString(password, OPERATOR_PASSWORD + "\n");
    var set = CanopyCli.run(dir, "account", "password", "admin", "--data", dir.toString(),
        "--endpoint", cluster.controller(cluster.controllerIds().get(0)).path("console").asText(), "--password-file", password.toString());
    assertThat(set.exit()).as(set.stderr()).isZero();
  }

  /** The session cookie ({@code canopy_session=…}) of the operator's console login on controller {@code id}. */
  private static String operatorSession(HttpClient trusting, int id) throws Exception {
    HttpResponse<String> login = trusting.send(HttpRequest.newBuilder(consoleOf(id).resolve("/api/session"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"admin\",\"password\":\"" + OPERATOR_PASSWORD + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return login.headers().firstValue("set-cookie").orElseThrow();
  }

  private static URI consoleOf(int id) {
    return URI.create(cluster.controller(id).path("console").asText());
  }

  @Test
  void aTenantsConsoleLaunchOnAFollowerIsForwardedToTheHoldersHttpsConsoleAndPlaced() throws Exception {
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
    int follower = cluster.others(holder).get(0);
    Path password = dir.resolve("tenant-console-password");
    Files.writeString(password, "a tenant passphrase\n");
    var set = CanopyCli.run(dir, "account", "password", "default", "--data", dir.toString(),
        "--endpoint", consoleOf(holder).toString(), "--password-file", password.toString());
    assertThat(set.exit()).as(set.stderr()).isZero();
    HttpClient trusting = HttpClient.newBuilder().sslContext(ConsoleTls.trusting(dir.resolve("ca.pem"))).build();
    HttpResponse<String> login = trusting.send(HttpRequest.newBuilder(consoleOf(follower).resolve("/api/session"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"default\",\"password\":\"a tenant passphrase\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    Matcher csrf = Pattern.compile("\"csrfToken\":\"([^\"]+)\"").matcher(login.body());
    assertThat(csrf.find()).isTrue();

    // RunInstances is the holder's: the follower's console passes the call on to the holder's
    // console (HTTPS, the cloud CA's certificate), session and CSRF token included.
    HttpRequest run = HttpRequest.newBuilder(consoleOf(follower).resolve("/api/ec2"))
        .header("content-type", "application/x-www-form-urlencoded").header("cookie", cookie).header("X-CSRF-Token", csrf.group(1))
        .POST(HttpRequest.BodyPublishers.ofString("Action=RunInstances&ImageId=" + imageId + "&InstanceType=t3.nano&MinCount=1&MaxCount=1"))
        .build();
    HttpResponse<String> launched = await().atMost(LIVENESS).pollInterval(Duration.ofMillis(500))
        .until(() -> trusting.send(run, HttpResponse.BodyHandlers.ofString()), r -> !r.body().contains("InsufficientInstanceCapacity"));
    assertThat(launched.statusCode()).as(launched.body()).isEqualTo(200);
    Matcher id = Pattern.compile("<instanceId>(i-[0-9a-f]+)</instanceId>").matcher(launched.body());
    assertThat(id.find()).as(launched.body()).isTrue();
    try (Ec2Client ec2 = cluster.ec2(holder)) {
      List<String> ids = List.of(id.group(1));
      await().atMost(LIVENESS).untilAsserted(() -> assertThat(states(ec2, ids)).containsOnly(InstanceStateName.RUNNING));
      ec2.terminateInstances(r -> r.instanceIds(ids));
      await().atMost(LIVENESS).untilAsserted(() -> assertThat(states(ec2, ids)).containsOnly(InstanceStateName.TERMINATED));
    }
  }

  @Test
  void anyControllerServesRunInstancesAndTheHolderPlacesThem() throws Exception {
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
    List<String> launched = new ArrayList<>();
    for (int id : cluster.controllerIds()) {
      try (Ec2Client ec2 = cluster.ec2(id)) {
        // A holder that just took the lease (a restart, an earlier test's kill) places nothing
        // until the node agent's session with it is up: InsufficientInstanceCapacity, as AWS
        // answers a launch it cannot place now. Asked again until then; any other error fails.
        RunInstancesResponse run = await().atMost(LIVENESS).pollInterval(Duration.ofMillis(500))
            .ignoreExceptionsMatching(e -> e instanceof Ec2Exception ec2e && ec2e.awsErrorDetails() != null
                && "InsufficientInstanceCapacity".equals(ec2e.awsErrorDetails().errorCode()))
            .until(() -> ec2.runInstances(r -> r.imageId(imageId).instanceType("t3.nano").minCount(1).maxCount(1)),
                answer -> true);
        launched.add(run.instances().get(0).instanceId());
      }
    }
    int follower = cluster.others(holder).get(0);
    try (Ec2Client ec2 = cluster.ec2(follower)) {
      await().atMost(LIVENESS).untilAsserted(() -> assertThat(states(ec2, launched)).containsOnly(InstanceStateName.RUNNING));
      // Placed under the holder's epoch, whichever controller took the call.
      ec2.terminateInstances(r -> r.instanceIds(launched));
      await().atMost(LIVENESS).untilAsserted(() -> assertThat(states(ec2, launched)).containsOnly(InstanceStateName.TERMINATED));
    }
  }

  @Test
  void killingTheHolderUnderRunInstancesLosesNoInstanceAndPlacesNoneTwice() throws Exception {
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
    long oldEpoch = cluster.epochOf(holder);
    int client = cluster.others(holder).get(0);
    Map<String, String> acknowledged = new ConcurrentHashMap<>(); // client token -> instance id
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    Thread load = new Thread(() -> runInstancesUntil(client, stop, tokens, acknowledged), "run-instances-load");
    load.start();
    try {
      await().atMost(LIVENESS).until(() -> acknowledged.size() >= 3);
      cluster.kill9(holder);
      long killed = System.nanoTime();
      int newHolder = cluster.awaitNewHolder(cluster.others(holder), holder, LIVENESS);
      System.out.printf("failover after kill -9 of controller %d: controller %d holds after %d ms%n", holder, newHolder,
          (System.nanoTime() - killed) / 1_000_000);
      assertThat(newHolder).isNotEqualTo(holder);
      int before = acknowledged.size();
      await().atMost(LIVENESS).until(() -> acknowledged.size() >= before + 3);
      assertThat(cluster.epochOf(newHolder)).isGreaterThan(oldEpoch);
    } finally {
      stop.set(true);
      load.join(TimeUnit.MINUTES.toMillis(2));
    }

    try (Ec2Client ec2 = cluster.ec2(client)) {
      Map<String, List<Instance>> byToken = new HashMap<>();
      ec2.describeInstancesPaginator(r -> r.maxResults(100)).reservations()
          .forEach(res -> res.instances().forEach(i -> byToken.computeIfAbsent(String.valueOf(i.clientToken()), t -> new ArrayList<>()).add(i)));
      for (String token : tokens) {
        assertThat(byToken.getOrDefault(token, List.of())).as("instances launched with client token %s", token).hasSizeLessThanOrEqualTo(1);
      }
      acknowledged.forEach((token, instanceId) -> assertThat(byToken.get(token)).as("acknowledged %s", instanceId)
          .extracting(Instance::instanceId).containsExactly(instanceId));
    }
    assertNoInstanceOnTwoNodes();
    assertAgentsRanCommandsInEpochOrder();
    cluster.restart(holder);
    cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
  }

  @Test
  void aGracefulStopHandsTheLeaseOver() throws Exception {
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
    HttpClient trusting = HttpClient.newBuilder().sslContext(ConsoleTls.trusting(dir.resolve("ca.pem"))).build();
    setOperatorPassword();
    String cookie = operatorSession(trusting, holder).split(";", 2)[0];
    long stopping = System.nanoTime();
    cluster.signal(holder, "TERM");
    int next = cluster.awaitNewHolder(cluster.others(holder), holder, LIVENESS);
    System.out.printf("handover after SIGTERM of controller %d: controller %d holds after %d ms%n", holder, next,
        (System.nanoTime() - stopping) / 1_000_000);
    assertThat(next).isNotEqualTo(holder);
    // The console session made on the old holder lives in the grid: the others answer it.
    for (int other : cluster.others(holder)) {
      HttpResponse<String> who = trusting.send(HttpRequest.newBuilder(consoleOf(other).resolve("/api/session")).header("cookie", cookie).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(who.statusCode()).as("controller %d: %s", other, who.body()).isEqualTo(200);
      assertThat(who.body()).contains("\"accountName\":\"admin\"");
    }
    cluster.stop(holder);
    assertThat(Files.readString(Path.of(cluster.controller(holder).path("log").asText())))
        .contains("stopped holding the lease (RELEASED)");
    cluster.restart(holder);
    assertThat(cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS)).isEqualTo(next);
  }

  @Test
  void restartingAControllerThatDoesNotHoldTheLeaseChangesNothing() throws Exception {
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
    long epoch = cluster.epochOf(holder);
    int follower = cluster.others(holder).get(0);
    AtomicBoolean stop = new AtomicBoolean();
    List<String> seen = new ArrayList<>();
    Thread watch = new Thread(() -> {
      while (!stop.get()) {
        cluster.lease(holder).ifPresent(l -> {
          synchronized (seen) {
            seen.add(l.path("holder").asText() + "@" + l.path("epoch").asText());
          }
        });
      }
    }, "lease-watch");
    watch.start();
    try {
      cluster.kill9(follower);
      cluster.restart(follower);
      await().atMost(LIVENESS).until(() -> cluster.agreedHolder(cluster.controllerIds()).isPresent());
    } finally {
      stop.set(true);
      watch.join();
    }
    assertThat(seen).isNotEmpty().containsOnly(holder + "@" + epoch);
    assertThat(cluster.agreedHolder(cluster.controllerIds())).contains(holder);
  }

  @Test
  void aHolderCutOffFromTheOtherControllersGivesUpTheLeaseAndCannotPlace() throws Exception {
    assumeTrue(Iptables.usable(), "needs root and a working iptables to cut one controller off (this machine has neither)");
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
    String address = cluster.address(holder);
    // Its lease traffic comes from its own address, its grid traffic from its member's alias.
    try (Iptables cut = Iptables.isolate(address, 5701, 8776); Iptables grid = Iptables.isolate(cluster.gridHost(holder), 5701)) {
      int next = cluster.awaitNewHolder(cluster.others(holder), holder, LIVENESS);
      await().atMost(LIVENESS).until(() -> cluster.lease(holder).map(l -> l.path("remainingMs").isNull()).orElse(true));
      try (Ec2Client ec2 = cluster.ec2(holder)) {
        // Marked as already forwarded, so the cut-off controller must answer by itself.
        assertThatThrownBy(() -> ec2.runInstances(r -> r.imageId(imageId).instanceType("t3.nano").minCount(1).maxCount(1)
            .overrideConfiguration(o -> o.putHeader("x-canopy-forwarded-by", "test"))))
            .isInstanceOfSatisfying(Ec2Exception.class, e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Unavailable");
            });
      }
      // What a load balancer reads: not ready while its grid member is outside the majority.
      await().atMost(LIVENESS).until(() -> !cluster.ready(holder));
    }
    // Healed: the cut-off controller rejoins (its grid member merges back), follows the holder and is ready again.
    await().atMost(Duration.ofMinutes(3)).until(() -> cluster.agreedHolder(cluster.controllerIds()).isPresent());
    await().atMost(Duration.ofMinutes(3)).until(() -> cluster.ready(holder));
  }

  @Test
  void aStaleHolderPausedPastItsLeaseIsFencedOffByTheGridAndTheAgents() throws Exception {
    // Controller 1 runs without its own deadline check (StaleController); make it the holder.
    int stale = 1;
    cluster.kill9(stale);
    cluster.restartAsStaleHolder(stale);
    try {
      staleHolderIsFencedOff(stale);
    } finally {
      // Other tests run against controllers with their own deadline check.
      cluster.stop(stale);
      cluster.restart(stale);
    }
  }

  private static void staleHolderIsFencedOff(int stale) throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      // Out of quarantine everywhere first: a quarantined controller 1 could not take a handover.
      cluster.awaitSteady();
      int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
      if (holder == stale) {
        break;
      }
      // A graceful stop hands the lease to the lowest other reachable id: controller 1.
      cluster.stop(holder);
      cluster.restart(holder);
    }
    assertThat(cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS)).isEqualTo(stale);
    await().atMost(LIVENESS).until(() -> cluster.epochOf(stale) > 0);
    long staleEpoch = cluster.epochOf(stale);
    String first;
    try (Ec2Client ec2 = cluster.ec2(stale)) {
      // Controller 1 has just restarted: it places only on nodes with a session to it, which the
      // agents reopen once another controller tells them of the restart (a directory read and a
      // heartbeat later). Until then the launch fails as EC2 does, with a capacity error to retry.
      AtomicReference<String> launched = new AtomicReference<>();
      await().atMost(LIVENESS).pollInterval(Duration.ofMillis(500)).until(() -> {
        try {
          launched.set(ec2.runInstances(r -> r.imageId(imageId).instanceType("t3.nano").minCount(1).maxCount(1))
              .instances().get(0).instanceId());
          return true;
        } catch (Ec2Exception e) {
          if ("InsufficientInstanceCapacity".equals(e.awsErrorDetails().errorCode())) {
            return false;
          }
          throw e;
        }
      });
      first = launched.get();
      await().atMost(LIVENESS).untilAsserted(() -> assertThat(states(ec2, List.of(first))).containsOnly(InstanceStateName.RUNNING));
    }

    cluster.signal(stale, "STOP");
    int next;
    long newEpoch;
    try {
      next = cluster.awaitNewHolder(cluster.others(stale), stale, LIVENESS);
      await().atMost(LIVENESS).until(() -> cluster.epochOf(next) > staleEpoch);
      newEpoch = cluster.epochOf(next);
      // The new holder announced its epoch to every agent.
      for (int n = 0; n < cluster.nodeCount(); n++) {
        int node = n;
        await().atMost(LIVENESS).until(() -> cluster.nodeLog(node).contains("(announceEpoch) under epoch " + newEpoch));
      }
    } finally {
      cluster.signal(stale, "CONT");
    }

    int instancesBefore;
    try (Ec2Client ec2 = cluster.ec2(next)) {
      instancesBefore = countInstances(ec2);
    }
    try (Ec2Client ec2 = cluster.ec2(stale)) {
      // It still believes it leads: each of these is its own work, never forwarded.
      await().atMost(LIVENESS).untilAsserted(() -> {
        tryCall(() -> ec2.rebootInstances(r -> r.instanceIds(first).overrideConfiguration(o -> o.putHeader("x-canopy-forwarded-by", "test"))));
        tryCall(() -> ec2.runInstances(r -> r.imageId(imageId).instanceType("t3.nano").minCount(1).maxCount(1)
            .overrideConfiguration(o -> o.putHeader("x-canopy-forwarded-by", "test"))));
        tryCall(() -> ec2.stopInstances(r -> r.instanceIds(first).overrideConfiguration(o -> o.putHeader("x-canopy-forwarded-by", "test"))));
        Map<String, Double> refusals = refusals(stale);
        assertThat(refusals.getOrDefault("grid", 0.0) + refusals.getOrDefault("majority", 0.0)).as("grid refusals").isPositive();
        assertThat(refusedByAgents(staleEpoch)).as("agents' refusals of epoch %d", staleEpoch).isPositive();
      });
    }

    // Nothing it sent took effect: the instance it launched still runs, nothing new exists, and
    // every agent ran its commands in epoch order (none under the stale epoch after the new one).
    try (Ec2Client ec2 = cluster.ec2(next)) {
      assertThat(states(ec2, List.of(first))).containsOnly(InstanceStateName.RUNNING);
      assertThat(countInstances(ec2)).isEqualTo(instancesBefore);
    }
    assertAgentsRanCommandsInEpochOrder();
    assertNoInstanceOnTwoNodes();
  }

  @Test
  void theStorageProcessServesS3WithKeysFromTheControllersAndKeepsServingWhenOneIsKilled() throws Exception {
    String bucket = "cluster-" + System.nanoTime();
    byte[] body = "seen through the storage process".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (S3Client s3 = cluster.s3()) {
      s3.createBucket(r -> r.bucket(bucket));
      s3.putObject(r -> r.bucket(bucket).key("manifest"), RequestBody.fromBytes(body));
      // RegisterImage on a controller checks the object on the storage process.
      int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
      try (Ec2Client ec2 = cluster.ec2(cluster.others(holder).get(0))) {
        String registered = ec2.registerImage(r -> r.name(bucket).imageLocation(bucket + "/manifest")).imageId();
        assertThat(registered).startsWith("ami-");
        assertThatThrownBy(() -> ec2.registerImage(r -> r.name(bucket + "-missing").imageLocation(bucket + "/absent")))
            .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
      }
      // Another controller answers the directory once one is gone: keys and buckets still work.
      cluster.kill9(holder);
      String second = bucket + "-b";
      s3.createBucket(r -> r.bucket(second));
      assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("manifest")).asByteArray()).isEqualTo(body);
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(bucket, second);
    }
  }

  /**
   * HAProxy (Debian's package) in front of the cluster with the configuration {@code canopy
   * haproxy-config} writes: EC2 reads sent through it without pause while the lease holder is
   * killed with SIGKILL all succeed within the SDK's own retries, and HAProxy marks the dead
   * controller down (its {@code /health} no longer answers) and up again once it is back. S3 and
   * the console's passed-through TLS answer through it too.
   */
  @Test
  void clientsThroughHaproxyKeepWorkingWhileTheHolderIsKilledAndHaproxyMarksItDown() throws Exception {
    String bind = SUBNET + ".200";
    String statsAddress = bind + ":8404";
    Path config = dir.resolve("haproxy.cfg");
    var generated = CanopyCli.run(dir, "haproxy-config", "--cluster", dir.resolve("cluster.json").toString(), "--bind", bind,
        "--stats", statsAddress, "--output", config.toString());
    assertThat(generated.exit()).as(generated.stderr()).isZero();
    Path log = dir.resolve("logs/haproxy.log");
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
    try (HaproxyProcess haproxy = HaproxyProcess.start(config, statsAddress, log);
        Ec2Client ec2 = cluster.ec2At(URI.create("http://" + bind + ":8773"));
        S3Client s3 = cluster.s3At(URI.create("http://" + bind + ":8779"))) {
      await().atMost(LIVENESS).ignoreExceptions().untilAsserted(() -> {
        assertThat(haproxy.statuses("controllers_ec2")).containsOnly(
            Map.entry("controller-1", "UP"), Map.entry("controller-2", "UP"), Map.entry("controller-3", "UP"));
        assertThat(haproxy.statuses("storage_s3")).containsOnly(Map.entry("storage-1", "UP"));
      });
      String bucket = "through-haproxy-" + System.nanoTime();
      s3.createBucket(r -> r.bucket(bucket));
      s3.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("through HAProxy"));
      assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("k")).asUtf8String()).isEqualTo("through HAProxy");
      assertThat(ConsoleTls.peerCertificateNames(dir.resolve("ca.pem"), bind, 8780))
          .as("the console's TLS reaches a controller untouched").anyMatch(n -> n.startsWith("canopy:controller:"));

      AtomicBoolean stop = new AtomicBoolean();
      java.util.concurrent.atomic.AtomicInteger succeeded = new java.util.concurrent.atomic.AtomicInteger();
      List<Throwable> failed = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread load = new Thread(() -> {
        // Reads, which any controller serves: a retry of one is always safe.
        while (!stop.get()) {
          try {
            ec2.describeInstances(r -> r.maxResults(5));
            ec2.describeKeyPairs();
            succeeded.incrementAndGet();
          } catch (RuntimeException e) {
            failed.add(e);
          }
        }
      }, "ec2-through-haproxy");
      load.start();
      try {
        await().atMost(LIVENESS).until(() -> succeeded.get() >= 10);
        int beforeKill = succeeded.get();
        cluster.kill9(holder);
        long killed = System.nanoTime();
        await().atMost(LIVENESS).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
            .until(() -> haproxy.statuses("controllers_ec2").get("controller-" + holder).startsWith("DOWN"));
        int afterDown = succeeded.get();
        System.out.printf("HAProxy marked controller %d down %d ms after its kill -9; %d pairs of reads succeeded meanwhile%n", holder,
            (System.nanoTime() - killed) / 1_000_000, afterDown - beforeKill);
        await().atMost(LIVENESS).until(() -> succeeded.get() >= afterDown + 10);
      } finally {
        stop.set(true);
        load.join(TimeUnit.MINUTES.toMillis(2));
      }
      assertThat(failed).as("EC2 calls through HAProxy that failed after the SDK's retries").isEmpty();
      assertThat(haproxy.statuses("controllers_ec2")).as("the others stay up").containsEntry("controller-" + cluster.others(holder).get(0), "UP")
          .containsEntry("controller-" + cluster.others(holder).get(1), "UP");
      System.out.printf("through HAProxy: %d pairs of EC2 reads, none failed, across a kill -9 of controller %d%n", succeeded.get(), holder);

      cluster.restart(holder);
      await().atMost(LIVENESS).ignoreExceptions().until(() -> haproxy.statuses("controllers_ec2").get("controller-" + holder).equals("UP"));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\nHAProxy's log:\n" + HaproxyProcess.logOf(log), e);
    }
  }

  @Test
  void restartingEveryControllerLosesNothingAcknowledged() throws Exception {
    int holder = cluster.awaitAgreedHolder(cluster.controllerIds(), LIVENESS);
    long epoch = cluster.epochOf(holder);
    List<String> before;
    try (Ec2Client ec2 = cluster.ec2(holder)) {
      ec2.runInstances(r -> r.imageId(imageId).instanceType("t3.nano").minCount(1).maxCount(1));
      before = instanceIds(ec2);
    }
    assertThat(before).isNotEmpty();
    for (int id : cluster.controllerIds()) {
      cluster.stop(id);
    }
    cluster.restartAll();
    int next = cluster.awaitAgreedHolder(cluster.controllerIds(), Duration.ofMinutes(2));
    await().atMost(LIVENESS).until(() -> cluster.epochOf(next) > epoch);
    try (Ec2Client ec2 = cluster.ec2(next)) {
      assertThat(instanceIds(ec2)).containsExactlyInAnyOrderElementsOf(before);
    }
  }

  // ---- helpers ----

  private static List<String> instanceIds(Ec2Client ec2) {
    List<String> ids = new ArrayList<>();
    ec2.describeInstancesPaginator(r -> r.maxResults(100)).reservations().forEach(res -> res.instances().forEach(i -> ids.add(i.instanceId())));
    return ids;
  }

  private static void runInstancesUntil(int controller, AtomicBoolean stop, Set<String> tokens, Map<String, String> acknowledged) {
    try (Ec2Client ec2 = cluster.ec2(controller)) {
      while (!stop.get()) {
        String token = UUID.randomUUID().toString();
        tokens.add(token);
        // Retried with the same token until acknowledged: the idempotent way through a failover.
        AtomicReference<String> id = new AtomicReference<>();
        retryUntilStopped(stop, () -> id.set(ec2.runInstances(r -> r.imageId(imageId).instanceType("t3.nano").minCount(1)
            .maxCount(1).clientToken(token)).instances().get(0).instanceId()));
        if (id.get() == null) {
          return;
        }
        acknowledged.put(token, id.get());
        // Free the capacity again (retried through the failover too, or the nodes would fill up).
        retryUntilStopped(stop, () -> ec2.terminateInstances(r -> r.instanceIds(id.get())));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Repeats {@code call} every 200 ms until it succeeds or the load is stopped. */
  private static void retryUntilStopped(AtomicBoolean stop, Runnable call) {
    await().forever().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (stop.get()) {
        return true;
      }
      try {
        call.run();
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  private static void tryCall(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      // Refusals are what the caller looks for; the assertions read them elsewhere.
    }
  }

  private static List<InstanceStateName> states(Ec2Client ec2, List<String> ids) {
    List<InstanceStateName> states = new ArrayList<>();
    ec2.describeInstances(r -> r.instanceIds(ids)).reservations().forEach(res -> res.instances().forEach(i -> states.add(i.state().name())));
    return states;
  }

  private static int countInstances(Ec2Client ec2) {
    int[] count = {0};
    ec2.describeInstancesPaginator(r -> r.maxResults(100)).reservations().forEach(res -> count[0] += res.instances().size());
    return count[0];
  }

  /** No instance runs as a domain on two nodes (the nodes' own reports, through the admin API). */
  private static void assertNoInstanceOnTwoNodes() throws Exception {
    // Any controller in the grid's majority answers; one still merging back into it (a stale holder
    // just resumed, a restarted one) answers 503 until it has.
    JsonNode nodes = await().atMost(LIVENESS).ignoreExceptions().until(LocalClusterIT::nodeListFromAnyController, n -> true);
    Map<String, Integer> placements = new HashMap<>();
    nodes.path("nodes").forEach(n -> n.path("instances").forEach(i -> placements.merge(i.asText(), 1, Integer::sum)));
    assertThat(placements).allSatisfy((instance, count) -> assertThat(count).as("nodes running %s", instance).isEqualTo(1));
  }

  private static JsonNode nodeListFromAnyController() throws Exception {
    Exception last = new IllegalStateException("no controller is running");
    for (int id : cluster.controllerIds()) {
      try {
        return dev.canopy.deploy.admin.NodesCommand.fetch(dir, URI.create(cluster.controller(id).path("console").asText()));
      } catch (Exception e) {
        last = e;
      }
    }
    throw last;
  }

  /** Each agent's log of commands run: their epochs never go down. */
  private static void assertAgentsRanCommandsInEpochOrder() throws IOException {
    for (int n = 0; n < cluster.nodeCount(); n++) {
      Matcher m = COMMAND_RUN.matcher(cluster.nodeLog(n));
      long highest = 0;
      while (m.find()) {
        long epoch = Long.parseLong(m.group(2));
        assertThat(epoch).as("node %d ran a %s command under epoch %d after one of epoch %d", n, m.group(1), epoch, highest)
            .isGreaterThanOrEqualTo(highest);
        highest = epoch;
      }
    }
  }

  private static long refusedByAgents(long epoch) throws IOException {
    long refused = 0;
    for (int n = 0; n < cluster.nodeCount(); n++) {
      refused += cluster.nodeLog(n).lines().filter(l -> l.contains("refused command") && l.contains("epoch " + epoch + " is older")).count();
    }
    return refused;
  }

  /** {@code canopy_fencing_refusals_total} by source, from the controller's Prometheus endpoint. */
  private static Map<String, Double> refusals(int controller) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body = http.send(HttpRequest.newBuilder(URI.create(cluster.controller(controller).path("management").asText() + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> out = new HashMap<>();
    Matcher m = Pattern.compile("canopy_fencing_refusals_total\\{by=\"(\\w+)\"[^}]*} ([0-9.E]+)").matcher(body);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }
}
