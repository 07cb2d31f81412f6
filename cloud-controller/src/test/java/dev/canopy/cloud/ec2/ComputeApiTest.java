package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.cloud.compute.InstanceTypes;
import dev.canopy.node.protocol.CommandTypes;
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
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Instances, instance types and images through the real endpoint with the AWS SDK. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComputeApiTest {

  private Ec2TestCloud cloud;
  private ComputeFixture compute;
  private Ec2Client alice;
  private Ec2Client bob;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cloud = Ec2TestCloud.start(dir, parts -> {
      compute = new ComputeFixture(parts.grid()::map, parts.clock(), 11);
      List<Ec2Action> actions = new ArrayList<>(InstanceActions.of(compute.instances, "t3.micro"));
      actions.addAll(InstanceTypeActions.of(InstanceTypes.defaults()));
      actions.addAll(ImageActions.of(compute.images));
      return actions;
    });
    compute.addNode("node-big", 64, 131072, 2000);
    alice = cloud.client(cloud.newAccount("alice"));
    bob = cloud.client(cloud.newAccount("bob"));
  }

  @AfterAll
  void stop() throws Exception {
    cloud.close();
  }

  private String ami() {
    return compute.systemImage.imageId();
  }

  private RunInstancesResponse runOne(Ec2Client ec2) {
    return ec2.runInstances(r -> r.imageId(ami()).instanceType("t3.micro").minCount(1).maxCount(1));
  }

  private static void assertCode(Executable call, String code) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(AwsServiceException.class,
        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
  }

  private Instance describeOne(Ec2Client ec2, String id) {
    return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
  }

  @Test
  void runDescribeStopStartRebootTerminate() {
    String userData = Base64.getEncoder().encodeToString("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8));
    RunInstancesResponse run = alice.runInstances(r -> r.imageId(ami()).instanceType("t3.small").minCount(2).maxCount(2)
        .keyName("k1").userData(userData).securityGroupIds("sg-00000000000000001")
        .placement(p -> p.availabilityZone("canopy-1a"))
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(Tag.builder().key("Name").value("web").build()).build()));
    assertThat(run.reservationId()).startsWith("r-");
    assertThat(run.instances()).hasSize(2).allSatisfy(i -> {
      assertThat(i.state().name()).isEqualTo(InstanceStateName.PENDING);
      assertThat(i.state().code()).isZero();
      assertThat(i.instanceTypeAsString()).isEqualTo("t3.small");
      assertThat(i.placement().availabilityZone()).isEqualTo("canopy-1a");
      assertThat(i.securityGroups()).extracting(g -> g.groupId()).containsExactly("sg-00000000000000001");
      assertThat(i.tags()).containsExactly(Tag.builder().key("Name").value("web").build());
      assertThat(i.keyName()).isEqualTo("k1");
      assertThat(i.launchTime()).isNotNull();
    });
    assertThat(run.instances()).extracting(Instance::amiLaunchIndex).containsExactly(0, 1);
    String id = run.instances().get(0).instanceId();
    Instance running = describeOne(alice, id);
    assertThat(running.state().name()).isEqualTo(InstanceStateName.RUNNING);
    assertThat(running.state().code()).isEqualTo(16);
    assertThat(alice.describeInstances(r -> r.filters(Filter.builder().name("tag:Name").values("web").build(),
        Filter.builder().name("reservation-id").values(run.reservationId()).build())).reservations())
        .singleElement().satisfies(res -> assertThat(res.instances()).hasSize(2));

    InstanceStateChange stop = alice.stopInstances(r -> r.instanceIds(id)).stoppingInstances().get(0);
    assertThat(stop.previousState().name()).isEqualTo(InstanceStateName.RUNNING);
    assertThat(stop.currentState().name()).isEqualTo(InstanceStateName.STOPPING);
    assertThat(describeOne(alice, id).state().name()).isEqualTo(InstanceStateName.STOPPED);
    assertThat(describeOne(alice, id).stateReason().code()).isEqualTo("Client.UserInitiatedShutdown");
    assertCode(() -> alice.rebootInstances(r -> r.instanceIds(id)), "IncorrectInstanceState");
    InstanceStateChange start = alice.startInstances(r -> r.instanceIds(id)).startingInstances().get(0);
    assertThat(start.currentState().name()).isEqualTo(InstanceStateName.PENDING);
    assertThat(start.previousState().code()).isEqualTo(80);
    alice.rebootInstances(r -> r.instanceIds(id));
    assertThat(compute.commands.sent(CommandTypes.REBOOT_INSTANCE)).isNotEmpty();
    InstanceStateChange term = alice.terminateInstances(r -> r.instanceIds(id)).terminatingInstances().get(0);
    assertThat(term.currentState().name()).isEqualTo(InstanceStateName.SHUTTING_DOWN);
    assertThat(alice.terminateInstances(r -> r.instanceIds(id)).terminatingInstances().get(0).currentState().code()).isEqualTo(48);
    assertThat(describeOne(alice, id).state().name()).isEqualTo(InstanceStateName.TERMINATED);
    assertCode(() -> alice.startInstances(r -> r.instanceIds(id)), "IncorrectInstanceState");
  }

  @Test
  void describePagesWithMaxResults() {
    Ec2Client carol = cloud.client(cloud.newAccount("carol"));
    carol.runInstances(r -> r.imageId(ami()).instanceType("t3.nano").minCount(7).maxCount(7));
    var first = carol.describeInstances(r -> r.maxResults(5));
    assertThat(first.reservations().get(0).instances()).hasSize(5);
    assertThat(first.nextToken()).isNotNull();
    var second = carol.describeInstances(r -> r.maxResults(5).nextToken(first.nextToken()));
    assertThat(second.reservations().get(0).instances()).hasSize(2);
    assertThat(second.nextToken()).isNull();
    assertThat(carol.describeInstancesPaginator(r -> r.maxResults(5)).reservations().stream().mapToInt(r -> r.instances().size()).sum()).isEqualTo(7);
    assertCode(() -> carol.describeInstances(r -> r.maxResults(4)), "InvalidParameterValue");
  }

  @Test
  void everyErrorCodeAClientBranchesOn() {
    String big = Base64.getEncoder().encodeToString(new byte[16 * 1024 + 1]);
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).maxCount(1)), "MissingParameter");
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).minCount(2).maxCount(1)), "InvalidParameterValue");
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).minCount(0).maxCount(1)), "InvalidParameterValue");
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).instanceType("x9.mega").minCount(1).maxCount(1)), "InvalidParameterValue");
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).userData(big)), "InvalidParameterValue");
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).userData("***")), "InvalidParameterValue");
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).placement(p -> p.availabilityZone("mars-1a"))), "InvalidParameterValue");
    assertCode(() -> alice.runInstances(r -> r.imageId("ami-0123456789abcdef0").minCount(1).maxCount(1)), "InvalidAMIID.NotFound");
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).keyName("missing")), "InvalidKeyPair.NotFound");
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).securityGroupIds("sg-0123456789abcdef0")), "InvalidGroup.NotFound");
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).dryRun(true)), "DryRunOperation");
    assertCode(() -> alice.describeInstances(r -> r.instanceIds("i-0123456789abcdef0")), "InvalidInstanceID.NotFound");
    assertCode(() -> alice.describeInstances(r -> r.instanceIds("i-nope")), "InvalidInstanceID.Malformed");
    assertCode(() -> alice.stopInstances(r -> r.instanceIds("i-0123456789abcdef0")), "InvalidInstanceID.NotFound");
    assertCode(() -> alice.describeInstances(r -> r.filters(Filter.builder().name("colour").values("x").build())), "InvalidParameterValue");
    alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).clientToken("tok-a"));
    String again = alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).clientToken("tok-a")).reservationId();
    assertThat(alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).clientToken("tok-a")).reservationId()).isEqualTo(again);
    assertCode(() -> alice.runInstances(r -> r.imageId(ami()).minCount(1).maxCount(1).instanceType("t3.nano").clientToken("tok-a")), "IdempotentParameterMismatch");
    assertCode(() -> alice.describeImages(r -> r.imageIds("ami-0123456789abcdef0")), "InvalidAMIID.NotFound");
    assertCode(() -> alice.describeImages(r -> r.imageIds("ami-x")), "InvalidAMIID.Malformed");
    assertCode(() -> alice.describeInstanceTypes(r -> r.instanceTypesWithStrings("x9.mega")), "InvalidInstanceType");
  }

  @Test
  void describeInstanceTypesInAwsShape() {
    List<InstanceTypeInfo> all = alice.describeInstanceTypes(r -> { }).instanceTypes();
    assertThat(all).extracting(InstanceTypeInfo::instanceTypeAsString).contains("t3.nano", "t3.micro", "m5.large");
    InstanceTypeInfo micro = alice.describeInstanceTypes(r -> r.instanceTypesWithStrings("t3.micro")).instanceTypes().get(0);
    assertThat(micro.vCpuInfo().defaultVCpus()).isEqualTo(2);
    assertThat(micro.memoryInfo().sizeInMiB()).isEqualTo(1024L);
    assertThat(micro.instanceStorageSupported()).isTrue();
    assertThat(micro.instanceStorageInfo().totalSizeInGB()).isEqualTo(8L);
    assertThat(micro.burstablePerformanceSupported()).isFalse();
    assertThat(micro.currentGeneration()).isTrue();
    assertThat(alice.describeInstanceTypes(r -> r.filters(Filter.builder().name("vcpu-info.default-vcpus").values("4").build())).instanceTypes())
        .extracting(InstanceTypeInfo::instanceTypeAsString).containsExactly("m5.xlarge");
  }

  @Test
  void imagesRegisterDescribeDeregisterAndStayPrivate() {
    String id = alice.registerImage(r -> r.name("alice-disk").description("mine").imageLocation("alice-bucket/disk.raw")).imageId();
    assertThat(id).startsWith("ami-");
    Image image = alice.describeImages(r -> r.imageIds(id)).images().get(0);
    assertThat(image.name()).isEqualTo("alice-disk");
    assertThat(image.imageLocation()).isEqualTo("alice-bucket/disk.raw");
    assertThat(image.publicLaunchPermissions()).isFalse();
    assertThat(image.architectureAsString()).isEqualTo("x86_64");
    assertThat(alice.describeImages(r -> r.owners("self")).images()).extracting(Image::imageId).containsExactly(id);
    assertThat(alice.describeImages(r -> r.owners("amazon")).images()).isEmpty();
    assertThat(alice.describeImages(r -> r.filters(Filter.builder().name("is-public").values("true").build())).images())
        .extracting(Image::imageId).contains(ami()).doesNotContain(id);
    Image system = bob.describeImages(r -> r.imageIds(ami())).images().get(0);
    assertThat(system.kernelId()).startsWith("aki-");
    assertThat(system.ramdiskId()).startsWith("ari-");
    assertCode(() -> alice.registerImage(r -> r.name("alice-disk").imageLocation("alice-bucket/other.raw")), "InvalidAMIName.Duplicate");
    assertCode(() -> alice.registerImage(r -> r.imageLocation("alice-bucket/other.raw")), "MissingParameter");
    // bob cannot see, launch or deregister alice's private image
    assertCode(() -> bob.describeImages(r -> r.imageIds(id)), "InvalidAMIID.NotFound");
    assertThat(bob.describeImages().images()).extracting(Image::imageId).doesNotContain(id);
    assertCode(() -> bob.runInstances(r -> r.imageId(id).minCount(1).maxCount(1)), "InvalidAMIID.NotFound");
    assertCode(() -> bob.deregisterImage(r -> r.imageId(id)), "InvalidAMIID.NotFound");
    assertThat(alice.runInstances(r -> r.imageId(id).minCount(1).maxCount(1)).instances()).hasSize(1);
    alice.deregisterImage(r -> r.imageId(id));
    assertCode(() -> alice.describeImages(r -> r.imageIds(id)), "InvalidAMIID.NotFound");
    assertThat(alice.registerImage(r -> r.name("alice-disk").imageLocation("alice-bucket/disk.raw")).imageId()).as("the name is free again").isNotEqualTo(id);
  }

  @Test
  void anotherAccountCannotSeeOrTouchInstances() {
    String id = runOne(alice).instances().get(0).instanceId();
    assertCode(() -> bob.describeInstances(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
    assertCode(() -> bob.stopInstances(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
    assertCode(() -> bob.startInstances(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
    assertCode(() -> bob.rebootInstances(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
    assertCode(() -> bob.terminateInstances(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
    assertThat(bob.describeInstances(r -> r.filters(Filter.builder().name("instance-id").values(id).build())).reservations()).isEmpty();
    assertThat(describeOne(alice, id).state().name()).isEqualTo(InstanceStateName.RUNNING);
  }
}
