package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.DomainReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.AttributeValue;
import software.amazon.awssdk.services.ec2.model.SecureBlobAttributeValue;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceAttributeResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.StatusName;
import software.amazon.awssdk.services.ec2.model.StatusType;
import software.amazon.awssdk.services.ec2.model.SummaryStatus;

/** Instance attributes and instance status through the real endpoint with the AWS SDK. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceAttributesApiTest {

  private static final String NODE = "node-big";

  private Ec2TestCloud cloud;
  private ComputeFixture compute;
  private Ec2Client alice;
  private Ec2Client bob;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cloud = Ec2TestCloud.start(dir, parts -> {
      compute = new ComputeFixture(parts.grid()::map, parts.clock(), 13);
      return new ArrayList<>(InstanceActions.of(compute.instances, "t3.micro"));
    });
    compute.addNode(NODE, 64, 131072, 2000);
    alice = cloud.client(cloud.newAccount("alice"));
    bob = cloud.client(cloud.newAccount("bob"));
  }

  @AfterAll
  void stop() throws Exception {
    cloud.close();
  }

  private String runOne(Ec2Client ec2) {
    return ec2.runInstances(r -> r.imageId(compute.systemImage.imageId()).instanceType("t3.micro").minCount(1).maxCount(1))
        .instances().get(0).instanceId();
  }

  private static void assertCode(Executable call, String code) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(AwsServiceException.class,
        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
  }

  private static Instance describeOne(Ec2Client ec2, String id) {
    return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
  }

  private static DescribeInstanceAttributeResponse attribute(Ec2Client ec2, String id, InstanceAttributeName name) {
    DescribeInstanceAttributeResponse response = ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute(name));
    assertThat(response.instanceId()).isEqualTo(id);
    return response;
  }

  private static AttributeBooleanValue bool(boolean value) {
    return AttributeBooleanValue.builder().value(value).build();
  }

  private static void stopAndWait(Ec2Client ec2, String id) {
    ec2.stopInstances(r -> r.instanceIds(id));
    assertThat(describeOne(ec2, id).state().name()).isEqualTo(InstanceStateName.STOPPED);
  }

  @Test
  void describeShowsEc2sDefaultsForEveryAttribute() {
    String id = runOne(alice);
    assertThat(attribute(alice, id, InstanceAttributeName.INSTANCE_TYPE).instanceType().value()).isEqualTo("t3.micro");
    assertThat(attribute(alice, id, InstanceAttributeName.DISABLE_API_TERMINATION).disableApiTermination().value()).isFalse();
    assertThat(attribute(alice, id, InstanceAttributeName.DISABLE_API_STOP).disableApiStop().value()).isFalse();
    assertThat(attribute(alice, id, InstanceAttributeName.INSTANCE_INITIATED_SHUTDOWN_BEHAVIOR).instanceInitiatedShutdownBehavior().value())
        .isEqualTo("stop");
    assertThat(attribute(alice, id, InstanceAttributeName.SOURCE_DEST_CHECK).sourceDestCheck().value()).isTrue();
    assertThat(attribute(alice, id, InstanceAttributeName.USER_DATA).userData().value()).isNull();
    assertThat(attribute(alice, id, InstanceAttributeName.GROUP_SET).groups()).extracting(g -> g.groupId())
        .containsExactly("sg-00000000000000001");
    assertThat(attribute(alice, id, InstanceAttributeName.ROOT_DEVICE_NAME).rootDeviceName().value()).isEqualTo("/dev/sda1");
    assertThat(attribute(alice, id, InstanceAttributeName.KERNEL).kernelId().value()).startsWith("aki-");
    assertThat(attribute(alice, id, InstanceAttributeName.EBS_OPTIMIZED).ebsOptimized().value()).isFalse();
    assertThat(attribute(alice, id, InstanceAttributeName.ENA_SUPPORT).enaSupport().value()).isFalse();
    assertThat(attribute(alice, id, InstanceAttributeName.ENCLAVE_OPTIONS).enclaveOptions().enabled()).isFalse();
    assertThat(attribute(alice, id, InstanceAttributeName.BLOCK_DEVICE_MAPPING).blockDeviceMappings()).isEmpty();
    assertThat(attribute(alice, id, InstanceAttributeName.PRODUCT_CODES).productCodes()).isEmpty();
    assertThat(describeOne(alice, id).sourceDestCheck()).isTrue();
    assertCode(() -> alice.describeInstanceAttribute(r -> r.instanceId(id).attribute("colour")), "InvalidParameterValue");
    assertCode(() -> alice.describeInstanceAttribute(r -> r.instanceId(id)), "MissingParameter");
    assertCode(() -> bob.describeInstanceAttribute(r -> r.instanceId(id).attribute(InstanceAttributeName.INSTANCE_TYPE)),
        "InvalidInstanceID.NotFound");
    assertCode(() -> alice.describeInstanceAttribute(r -> r.instanceId("i-nope").attribute(InstanceAttributeName.INSTANCE_TYPE)),
        "InvalidInstanceID.Malformed");
  }

  @Test
  void terminationProtectionFromRunInstancesAndFromModify() {
    String id = alice.runInstances(r -> r.imageId(compute.systemImage.imageId()).minCount(1).maxCount(1).disableApiTermination(true))
        .instances().get(0).instanceId();
    assertThat(attribute(alice, id, InstanceAttributeName.DISABLE_API_TERMINATION).disableApiTermination().value()).isTrue();
    assertThatThrownBy(() -> alice.terminateInstances(r -> r.instanceIds(id))).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("OperationNotPermitted");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The instance '" + id
          + "' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.");
    });
    assertThat(describeOne(alice, id).state().name()).isEqualTo(InstanceStateName.RUNNING);
    alice.modifyInstanceAttribute(r -> r.instanceId(id).disableApiTermination(bool(false)));
    assertThat(alice.terminateInstances(r -> r.instanceIds(id)).terminatingInstances().get(0).currentState().name())
        .isEqualTo(InstanceStateName.SHUTTING_DOWN);

    String other = runOne(alice);
    // The Attribute + Value form, as older tools send it.
    alice.modifyInstanceAttribute(r -> r.instanceId(other).attribute(InstanceAttributeName.DISABLE_API_TERMINATION).value("true"));
    assertCode(() -> alice.terminateInstances(r -> r.instanceIds(other)), "OperationNotPermitted");
    alice.modifyInstanceAttribute(r -> r.instanceId(other).disableApiTermination(bool(false)));
    alice.terminateInstances(r -> r.instanceIds(other));
  }

  @Test
  void stopProtection() {
    String id = runOne(alice);
    alice.modifyInstanceAttribute(r -> r.instanceId(id).disableApiStop(bool(true)));
    assertThat(attribute(alice, id, InstanceAttributeName.DISABLE_API_STOP).disableApiStop().value()).isTrue();
    assertCode(() -> alice.stopInstances(r -> r.instanceIds(id)), "OperationNotPermitted");
    assertCode(() -> alice.stopInstances(r -> r.instanceIds(id).force(true)), "OperationNotPermitted");
    assertThat(describeOne(alice, id).state().name()).isEqualTo(InstanceStateName.RUNNING);
    alice.modifyInstanceAttribute(r -> r.instanceId(id).attribute(InstanceAttributeName.DISABLE_API_STOP).value("false"));
    stopAndWait(alice, id);
    String launched = alice.runInstances(r -> r.imageId(compute.systemImage.imageId()).minCount(1).maxCount(1).disableApiStop(true))
        .instances().get(0).instanceId();
    assertCode(() -> alice.stopInstances(r -> r.instanceIds(launched)), "OperationNotPermitted");
  }

  @Test
  void instanceTypeAndUserDataOnlyWhileStopped() {
    String id = runOne(alice);
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).instanceType(AttributeValue.builder().value("t3.small").build())),
        "IncorrectInstanceState");
    SdkBytes script = SdkBytes.fromString("#!/bin/sh\necho changed\n", StandardCharsets.UTF_8);
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).userData(SecureBlobAttributeValue.builder().value(script).build())),
        "IncorrectInstanceState");
    stopAndWait(alice, id);
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).instanceType(AttributeValue.builder().value("x9.mega").build())),
        "InvalidParameterValue");
    alice.modifyInstanceAttribute(r -> r.instanceId(id).instanceType(AttributeValue.builder().value("t3.small").build()));
    assertThat(attribute(alice, id, InstanceAttributeName.INSTANCE_TYPE).instanceType().value()).isEqualTo("t3.small");
    alice.modifyInstanceAttribute(r -> r.instanceId(id).attribute(InstanceAttributeName.INSTANCE_TYPE).value("m5.large"));
    assertThat(describeOne(alice, id).instanceTypeAsString()).isEqualTo("m5.large");
    alice.modifyInstanceAttribute(r -> r.instanceId(id).userData(SecureBlobAttributeValue.builder().value(script).build()));
    String stored = attribute(alice, id, InstanceAttributeName.USER_DATA).userData().value();
    assertThat(new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8)).isEqualTo("#!/bin/sh\necho changed\n");
    String big = Base64.getEncoder().encodeToString(new byte[16 * 1024 + 1]);
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).attribute(InstanceAttributeName.USER_DATA).value(big)),
        "InvalidParameterValue");
    alice.startInstances(r -> r.instanceIds(id));
    assertThat(describeOne(alice, id).state().name()).isEqualTo(InstanceStateName.RUNNING);
  }

  @Test
  void shutdownBehaviourDecidesWhatAGuestShutdownDoes() {
    String stops = runOne(alice);
    String terminates = alice.runInstances(r -> r.imageId(compute.systemImage.imageId()).minCount(1).maxCount(1)
        .instanceInitiatedShutdownBehavior(ShutdownBehavior.TERMINATE)).instances().get(0).instanceId();
    String modified = runOne(alice);
    alice.modifyInstanceAttribute(r -> r.instanceId(modified)
        .instanceInitiatedShutdownBehavior(AttributeValue.builder().value("terminate").build()));
    assertThat(attribute(alice, modified, InstanceAttributeName.INSTANCE_INITIATED_SHUTDOWN_BEHAVIOR)
        .instanceInitiatedShutdownBehavior().value()).isEqualTo("terminate");
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(modified)
        .instanceInitiatedShutdownBehavior(AttributeValue.builder().value("hibernate").build())), "InvalidParameterValue");
    assertCode(() -> alice.runInstances(r -> r.imageId(compute.systemImage.imageId()).minCount(1).maxCount(1)
        .instanceInitiatedShutdownBehavior("explode")), "InvalidParameterValue");

    compute.instances.reconcile(NODE, List.of(new DomainReport(stops, "shutoff"), new DomainReport(terminates, "shutoff"),
        new DomainReport(modified, "shutoff")));
    assertThat(describeOne(alice, stops).state().name()).isEqualTo(InstanceStateName.STOPPED);
    Instance gone = describeOne(alice, terminates);
    assertThat(gone.state().name()).isEqualTo(InstanceStateName.TERMINATED);
    assertThat(gone.stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
    assertThat(describeOne(alice, modified).state().name()).isEqualTo(InstanceStateName.TERMINATED);
    assertThat(compute.commands.sent(CommandTypes.TERMINATE_INSTANCE)).extracting(s -> s.command().payload().path("instanceId").asText())
        .contains(terminates, modified).doesNotContain(stops);
  }

  @Test
  void sourceDestCheckAndGroupsAreStoredAndShown() {
    String id = runOne(alice);
    alice.modifyInstanceAttribute(r -> r.instanceId(id).sourceDestCheck(bool(false)));
    assertThat(attribute(alice, id, InstanceAttributeName.SOURCE_DEST_CHECK).sourceDestCheck().value()).isFalse();
    assertThat(describeOne(alice, id).sourceDestCheck()).isFalse();
    alice.modifyInstanceAttribute(r -> r.instanceId(id).attribute(InstanceAttributeName.SOURCE_DEST_CHECK).value("true"));
    assertThat(describeOne(alice, id).sourceDestCheck()).isTrue();
    alice.modifyInstanceAttribute(r -> r.instanceId(id).groups("sg-00000000000000001"));
    assertThat(describeOne(alice, id).securityGroups()).extracting(g -> g.groupId()).containsExactly("sg-00000000000000001");
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).groups("sg-0123456789abcdef0")), "InvalidGroup.NotFound");
  }

  @Test
  void modifyRefusesWhatEc2Refuses() {
    String id = runOne(alice);
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id)), "InvalidParameterCombination");
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).disableApiStop(bool(true)).sourceDestCheck(bool(false))),
        "InvalidParameterCombination");
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).attribute(InstanceAttributeName.DISABLE_API_STOP).value("maybe")),
        "InvalidParameterValue");
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).attribute(InstanceAttributeName.DISABLE_API_STOP)),
        "MissingParameter");
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).ebsOptimized(bool(true))), "UnsupportedOperation");
    assertCode(() -> bob.modifyInstanceAttribute(r -> r.instanceId(id).disableApiStop(bool(true))), "InvalidInstanceID.NotFound");
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).disableApiStop(bool(true)).dryRun(true)), "DryRunOperation");
    assertThat(attribute(alice, id, InstanceAttributeName.DISABLE_API_STOP).disableApiStop().value()).isFalse();
    alice.terminateInstances(r -> r.instanceIds(id));
    assertCode(() -> alice.modifyInstanceAttribute(r -> r.instanceId(id).disableApiStop(bool(true))), "IncorrectInstanceState");
  }

  @Test
  void describeInstanceStatusRunningByDefaultAllOnRequest() {
    NewAccount account = cloud.newAccount("carol");
    Ec2Client carol = cloud.client(account);
    String running = runOne(carol);
    String stopped = runOne(carol);
    stopAndWait(carol, stopped);

    List<InstanceStatus> byDefault = carol.describeInstanceStatus(r -> { }).instanceStatuses();
    assertThat(byDefault).singleElement().satisfies(s -> {
      assertThat(s.instanceId()).isEqualTo(running);
      assertThat(s.availabilityZone()).isEqualTo("canopy-1a");
      assertThat(s.instanceState().name()).isEqualTo(InstanceStateName.RUNNING);
      assertThat(s.instanceState().code()).isEqualTo(16);
      assertThat(s.systemStatus().status()).isEqualTo(SummaryStatus.OK);
      assertThat(s.systemStatus().details()).singleElement().satisfies(d -> {
        assertThat(d.name()).isEqualTo(StatusName.REACHABILITY);
        assertThat(d.status()).isEqualTo(StatusType.PASSED);
      });
      assertThat(s.instanceStatus().status()).isEqualTo(SummaryStatus.OK);
      assertThat(s.instanceStatus().details().get(0).status()).isEqualTo(StatusType.PASSED);
    });
    assertThat(carol.describeInstanceStatus(r -> r.instanceIds(stopped)).instanceStatuses()).isEmpty();
    InstanceStatus stoppedStatus = carol.describeInstanceStatus(r -> r.instanceIds(stopped).includeAllInstances(true)).instanceStatuses().get(0);
    assertThat(stoppedStatus.instanceState().name()).isEqualTo(InstanceStateName.STOPPED);
    assertThat(stoppedStatus.systemStatus().status()).isEqualTo(SummaryStatus.NOT_APPLICABLE);
    assertThat(stoppedStatus.instanceStatus().status()).isEqualTo(SummaryStatus.NOT_APPLICABLE);
    assertThat(carol.describeInstanceStatus(r -> r.includeAllInstances(true)
        .filters(Filter.builder().name("instance-state-name").values("stopped").build())).instanceStatuses())
        .extracting(InstanceStatus::instanceId).containsExactly(stopped);
    assertThat(carol.describeInstanceStatus(r -> r.includeAllInstances(true)
        .filters(Filter.builder().name("instance-state-code").values("16").build(),
            Filter.builder().name("availability-zone").values("canopy-1a").build(),
            Filter.builder().name("instance-status.status").values("ok").build())).instanceStatuses())
        .extracting(InstanceStatus::instanceId).containsExactly(running);
    assertThat(bob.describeInstanceStatus(r -> r.includeAllInstances(true)).instanceStatuses())
        .extracting(InstanceStatus::instanceId).doesNotContain(running, stopped);
    assertCode(() -> bob.describeInstanceStatus(r -> r.instanceIds(running)), "InvalidInstanceID.NotFound");
    assertCode(() -> carol.describeInstanceStatus(r -> r.filters(Filter.builder().name("colour").values("x").build())), "InvalidParameterValue");
    assertCode(() -> carol.describeInstanceStatus(r -> r.instanceIds(running).maxResults(5)), "InvalidParameterCombination");
  }

  @Test
  void describeInstanceStatusPages() {
    Ec2Client dave = cloud.client(cloud.newAccount("dave"));
    dave.runInstances(r -> r.imageId(compute.systemImage.imageId()).instanceType("t3.nano").minCount(7).maxCount(7));
    var first = dave.describeInstanceStatus(r -> r.maxResults(5));
    assertThat(first.instanceStatuses()).hasSize(5);
    assertThat(first.nextToken()).isNotNull();
    var second = dave.describeInstanceStatus(r -> r.maxResults(5).nextToken(first.nextToken()));
    assertThat(second.instanceStatuses()).hasSize(2);
    assertThat(second.nextToken()).isNull();
    assertThat(dave.describeInstanceStatusPaginator(r -> r.maxResults(5)).instanceStatuses().stream().count()).isEqualTo(7);
    assertCode(() -> dave.describeInstanceStatus(r -> r.maxResults(4)), "InvalidParameterValue");
    assertCode(() -> dave.describeInstanceStatus(r -> r.nextToken("garbage!")), "InvalidParameterValue");
  }

  @Test
  void aNodeThatStopsHeartBeatingImpairsSystemStatus() {
    Ec2Client erin = cloud.client(cloud.newAccount("erin"));
    String id = runOne(erin);
    compute.instances.nodeAvailability(NODE, false);
    try {
      InstanceStatus impaired = erin.describeInstanceStatus(r -> r.instanceIds(id)).instanceStatuses().get(0);
      assertThat(impaired.systemStatus().status()).isEqualTo(SummaryStatus.IMPAIRED);
      assertThat(impaired.systemStatus().details().get(0).status()).isEqualTo(StatusType.FAILED);
      assertThat(impaired.instanceStatus().status()).isEqualTo(SummaryStatus.INSUFFICIENT_DATA);
      assertThat(erin.describeInstanceStatus(r -> r.filters(Filter.builder().name("system-status.status").values("impaired").build()))
          .instanceStatuses()).extracting(InstanceStatus::instanceId).containsExactly(id);
      assertThat(describeOne(erin, id).state().name()).as("the instance is kept, not dropped").isEqualTo(InstanceStateName.RUNNING);
    } finally {
      compute.instances.nodeAvailability(NODE, true);
    }
    assertThat(erin.describeInstanceStatus(r -> r.instanceIds(id)).instanceStatuses().get(0).systemStatus().status())
        .isEqualTo(SummaryStatus.OK);
  }
}
