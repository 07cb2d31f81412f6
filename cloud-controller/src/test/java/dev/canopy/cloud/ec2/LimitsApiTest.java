package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.cloud.compute.InstanceTypes;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.cloud.keypairs.KeyPairService;
import dev.canopy.cloud.limits.AccountLimits;
import dev.canopy.cloud.limits.Quotas;
import dev.canopy.core.limits.TokenBuckets;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.securitygroups.GroupUsage;
import dev.canopy.cloud.securitygroups.SecurityGroupService;
import dev.canopy.cloud.tags.GridTagStore;
import dev.canopy.core.time.SystemTime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;

/**
 * Per-account quotas and the request rate limit through the real endpoint with the AWS SDK:
 * the codes, statuses and messages clients branch on, and that the SDK's own retries ride
 * out throttling as they do against AWS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsApiTest {

  /** Small enough to reach: 3 instances, 8 vCPUs, 2 key pairs, 3 groups (the default one included). */
  private static final AccountLimits LIMITS = new AccountLimits(3, 8, 2, 3, 1000, 1000);
  /** The rate limit under test: 5 a second, bursts of 3; only for accounts in {@link #throttled}. */
  private static final int RATE_PER_SECOND = 5;
  private static final int BURST = 3;

  private final Set<String> throttled = ConcurrentHashMap.newKeySet();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private Ec2TestCloud cloud;
  private ComputeFixture compute;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Quotas quotas = new Quotas(LIMITS);
    Ec2Throttle perAccount = Ec2Throttle.perAccount(new TokenBuckets(RATE_PER_SECOND, BURST, SystemTime.INSTANCE), meters);
    // Only the throttling tests' accounts are rate limited, so the quota tests never see a 503.
    Ec2Throttle throttle = principal -> {
      if (throttled.contains(principal.accountId())) {
        perAccount.admit(principal);
      }
    };
    cloud = Ec2TestCloud.start(dir, parts -> {
      compute = new ComputeFixture(parts.grid()::map, parts.clock(), 13, quotas);
      GridTagStore tags = GridTagStore.onGrid(parts.grid());
      ResourceIds ids = new ResourceIds(parts.random());
      KeyPairService keyPairs = KeyPairService.onGrid(parts.grid(), tags, ids, parts.random(), parts.clock()).withQuota(quotas.keyPairs());
      SecurityGroupService groups = SecurityGroupService.onGrid(parts.grid(), tags, ids, GroupUsage.NEVER).withQuota(quotas.securityGroups());
      List<Ec2Action> actions = new ArrayList<>(InstanceActions.of(compute.instances, "t3.micro"));
      actions.addAll(InstanceTypeActions.of(InstanceTypes.defaults()));
      actions.addAll(ImageActions.of(compute.images));
      actions.addAll(KeyPairActions.of(keyPairs, tags));
      actions.addAll(SecurityGroupActions.of(groups, tags));
      return actions;
    }, throttle);
    compute.addNode("node-big", 64, 131072, 2000);
  }

  @AfterAll
  void stop() throws Exception {
    cloud.close();
  }

  private String ami() {
    return compute.systemImage.imageId();
  }

  private RunInstancesResponse run(Ec2Client ec2, String type, int min, int max) {
    return ec2.runInstances(r -> r.imageId(ami()).instanceType(type).minCount(min).maxCount(max));
  }

  private static AwsServiceException refused(Executable call, int status, String code) {
    AwsServiceException[] caught = new AwsServiceException[1];
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
      assertThat(e.statusCode()).isEqualTo(status);
      caught[0] = e;
    });
    return caught[0];
  }

  private List<Instance> liveInstances(Ec2Client ec2) {
    return ec2.describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
        .filter(i -> i.state().name() != InstanceStateName.TERMINATED).toList();
  }

  @Test
  void instanceLimitLaunchesUpToTheLimitThenRefuses() {
    Ec2Client ec2 = cloud.client(cloud.newAccount("instances"));
    // MaxCount above the limit, MinCount within it: EC2 launches what the limit allows.
    assertThat(run(ec2, "t3.nano", 1, 10).instances()).hasSize(3);
    AwsServiceException e = refused(() -> run(ec2, "t3.nano", 1, 1), 400, "InstanceLimitExceeded");
    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("You have requested more instances (4) than your current instance "
        + "limit of 3 allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to "
        + "request an adjustment to this limit.");
    assertThat(liveInstances(ec2)).hasSize(3);

    // Terminated instances no longer count.
    String first = liveInstances(ec2).get(0).instanceId();
    ec2.terminateInstances(r -> r.instanceIds(first));
    assertThat(run(ec2, "t3.nano", 1, 1).instances()).hasSize(1);
    refused(() -> run(ec2, "t3.nano", 1, 1), 400, "InstanceLimitExceeded");
  }

  @Test
  void vcpuLimitHonoursMinCount() {
    Ec2Client ec2 = cloud.client(cloud.newAccount("vcpus"));
    // m5.xlarge has 4 vCPUs: three would be 12 of 8.
    AwsServiceException e = refused(() -> run(ec2, "m5.xlarge", 3, 3), 400, "VcpuLimitExceeded");
    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("You have requested more vCPU capacity than your current vCPU "
        + "limit of 8 allows for the instance bucket that the specified instance type belongs to. Please visit "
        + "http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.");
    assertThat(liveInstances(ec2)).as("a refused launch launches nothing").isEmpty();
    assertThat(run(ec2, "m5.xlarge", 1, 3).instances()).as("as many as fit").hasSize(2);
    refused(() -> run(ec2, "t3.nano", 1, 1), 400, "VcpuLimitExceeded");
    // Another account's usage is its own.
    Ec2Client other = cloud.client(cloud.newAccount("vcpus-other"));
    assertThat(run(other, "m5.xlarge", 2, 2).instances()).hasSize(2);
  }

  @Test
  void keyPairLimitCoversCreateAndImport() {
    Ec2Client ec2 = cloud.client(cloud.newAccount("keys"));
    ec2.createKeyPair(r -> r.keyName("one"));
    ec2.createKeyPair(r -> r.keyName("two").keyType("ed25519"));
    AwsServiceException e = refused(() -> ec2.createKeyPair(r -> r.keyName("three")), 400, "KeyPairLimitExceeded");
    assertThat(e.awsErrorDetails().errorMessage()).contains("2");
    refused(() -> ec2.importKeyPair(r -> r.keyName("three").publicKeyMaterial(SdkBytes.fromUtf8String("ssh-ed25519 AAAA x"))),
        400, "KeyPairLimitExceeded");
    ec2.deleteKeyPair(r -> r.keyName("one"));
    ec2.createKeyPair(r -> r.keyName("three"));
    assertThat(ec2.describeKeyPairs().keyPairs()).hasSize(2);
  }

  @Test
  void securityGroupLimitCountsTheDefaultGroup() {
    Ec2Client ec2 = cloud.client(cloud.newAccount("groups"));
    ec2.createSecurityGroup(r -> r.groupName("web").description("web"));
    ec2.createSecurityGroup(r -> r.groupName("db").description("db"));
    AwsServiceException e = refused(() -> ec2.createSecurityGroup(r -> r.groupName("cache").description("cache")),
        400, "SecurityGroupLimitExceeded");
    assertThat(e.awsErrorDetails().errorMessage()).matches("The maximum number of security groups for VPC 'vpc-[0-9a-f]+' has been reached\\.");
    assertThat(ec2.describeSecurityGroups().securityGroups()).hasSize(3);
    ec2.deleteSecurityGroup(r -> r.groupName("db"));
    ec2.createSecurityGroup(r -> r.groupName("cache").description("cache"));
  }

  private Ec2Client throttledClient(String name, boolean sdkRetries) {
    NewAccount account = cloud.newAccount(name);
    throttled.add(account.account().id());
    AwsBasicCredentials key = AwsBasicCredentials.create(account.credential().accessKeyId(), account.credential().secretAccessKey());
    var builder = Ec2Client.builder().endpointOverride(cloud.endpoint()).region(Region.of(Ec2TestCloud.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(key));
    if (!sdkRetries) {
      builder.overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }
    return builder.build();
  }

  @Test
  void aBurstBeyondTheBucketIsRequestLimitExceeded() {
    try (Ec2Client ec2 = throttledClient("burst", false)) {
      int ok = 0;
      AwsServiceException last = null;
      for (int i = 0; i < 12; i++) {
        try {
          ec2.describeKeyPairs();
          ok++;
        } catch (AwsServiceException e) {
          last = e;
        }
      }
      // The burst, plus at most a token or two refilled while the loop ran.
      assertThat(ok).isBetween(BURST, BURST + 3);
      assertThat(last).isNotNull();
      assertThat(last.statusCode()).isEqualTo(503);
      assertThat(last.awsErrorDetails().errorCode()).isEqualTo("RequestLimitExceeded");
      assertThat(last.awsErrorDetails().errorMessage()).isEqualTo("Request limit exceeded.");
      assertThat(last.isThrottlingException()).as("the SDK classifies it as throttling").isTrue();
      assertThat(last.requestId()).isNotBlank();
      String accountId = accountOf("burst");
      assertThat(meters.counter(Ec2Throttle.THROTTLED_METRIC, "account", accountId).count()).isEqualTo(12 - ok);
    }
  }

  @Test
  void theSdkDefaultRetriesRideOutThrottling() {
    try (Ec2Client ec2 = throttledClient("patient", true)) {
      // Three times the burst, back to back: the SDK backs off on each 503 and gets through.
      for (int i = 0; i < 3 * BURST; i++) {
        assertThat(ec2.describeKeyPairs().keyPairs()).isEmpty();
      }
      assertThat(meters.counter(Ec2Throttle.THROTTLED_METRIC, "account", accountOf("patient")).count())
          .as("throttled on the way").isPositive();
    }
  }

  private String accountOf(String name) {
    return cloud.parts().identity().findByName(name).orElseThrow().id();
  }
}
