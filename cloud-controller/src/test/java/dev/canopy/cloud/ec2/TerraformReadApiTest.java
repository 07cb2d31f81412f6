package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.securitygroups.SecurityGroupService;
import dev.canopy.cloud.tags.TaggableResources;
import dev.canopy.cloud.tags.Tagging;
import dev.canopy.cloud.volumes.RootVolumes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AccountAttribute;
import software.amazon.awssdk.services.ec2.model.AccountAttributeName;
import software.amazon.awssdk.services.ec2.model.AccountAttributeValue;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * The read calls Terraform's aws_instance and the SDKs make besides DescribeInstances:
 * DescribeAccountAttributes, DescribeVpcs, DescribeVolumes, DescribeInstanceCreditSpecifications.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformReadApiTest {

  private Ec2TestCloud cloud;
  private ComputeFixture compute;
  private SecurityGroupService groups;
  private Ec2Client alice;
  private Ec2Client bob;
  private String aliceId;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cloud = Ec2TestCloud.start(dir, parts -> {
      compute = new ComputeFixture(parts.grid()::map, parts.clock(), 17);
      groups = SecurityGroupService.onGrid(parts.grid(), compute.tags, new ResourceIds(parts.random()), (a, g) -> false);
      RootVolumes volumes = new RootVolumes(compute.instances, compute.types, compute.tags);
      TaggableResources taggable = new TaggableResources().register(volumes.taggableKind());
      List<Ec2Action> actions = new ArrayList<>(InstanceActions.of(compute.instances, "t3.micro"));
      actions.addAll(AccountAttributeActions.of(groups::defaultVpc, 7));
      actions.addAll(VpcActions.of(groups::defaultVpc));
      actions.addAll(VolumeActions.of(volumes));
      actions.addAll(InstanceCreditActions.of(compute.instances));
      actions.addAll(TagActions.of(new Tagging(compute.tags, taggable)));
      return actions;
    });
    compute.addNode("node-big", 64, 131072, 2000);
    var account = cloud.newAccount("alice");
    aliceId = account.account().id();
    alice = cloud.client(account);
    bob = cloud.client(cloud.newAccount("bob"));
  }

  @AfterAll
  void stop() throws Exception {
    cloud.close();
  }

  private static void assertCode(Executable call, String code) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(AwsServiceException.class,
        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
  }

  private String runOne(Ec2Client ec2, String type) {
    return ec2.runInstances(r -> r.imageId(compute.systemImage.imageId()).instanceType(type).minCount(1).maxCount(1))
        .instances().get(0).instanceId();
  }

  private static Map<String, String> attributes(List<AccountAttribute> list) {
    return list.stream().collect(Collectors.toMap(AccountAttribute::attributeName,
        a -> a.attributeValues().stream().map(AccountAttributeValue::attributeValue).collect(Collectors.joining(","))));
  }

  private static Filter filter(String name, String... values) {
    return Filter.builder().name(name).values(values).build();
  }

  @Test
  void accountAttributesNameTheDefaultVpcAndLimits() {
    Map<String, String> all = attributes(alice.describeAccountAttributes().accountAttributes());
    assertThat(all).containsEntry("supported-platforms", "VPC")
        .containsEntry("default-vpc", groups.defaultVpc(aliceId))
        .containsEntry("max-instances", "7")
        .containsEntry("vpc-max-security-groups-per-interface", "5")
        .containsEntry("max-elastic-ips", "5")
        .containsEntry("vpc-max-elastic-ips", "5")
        .hasSize(6);
    // What Terraform's provider asks at start-up.
    assertThat(alice.describeAccountAttributes(r -> r.attributeNames(AccountAttributeName.SUPPORTED_PLATFORMS))
        .accountAttributes()).singleElement().satisfies(a -> {
          assertThat(a.attributeName()).isEqualTo("supported-platforms");
          assertThat(a.attributeValues()).extracting(AccountAttributeValue::attributeValue).containsExactly("VPC");
        });
    assertThat(attributes(bob.describeAccountAttributes(r -> r.attributeNamesWithStrings("default-vpc")).accountAttributes()))
        .containsOnlyKeys("default-vpc").doesNotContainValue(groups.defaultVpc(aliceId));
    assertCode(() -> alice.describeAccountAttributes(r -> r.attributeNamesWithStrings("max-bananas")), "InvalidParameterValue");
  }

  @Test
  void eachAccountSeesItsOneDefaultVpc() {
    String vpcId = groups.defaultVpc(aliceId);
    Vpc vpc = alice.describeVpcs().vpcs().get(0);
    assertThat(alice.describeVpcs().vpcs()).hasSize(1);
    assertThat(vpc.vpcId()).isEqualTo(vpcId);
    assertThat(vpc.ownerId()).isEqualTo(aliceId);
    assertThat(vpc.stateAsString()).isEqualTo("available");
    assertThat(vpc.cidrBlock()).isEqualTo("172.31.0.0/16");
    assertThat(vpc.isDefault()).isTrue();
    assertThat(vpc.instanceTenancyAsString()).isEqualTo("default");
    assertThat(vpc.dhcpOptionsId()).isEqualTo("default");
    assertThat(vpc.cidrBlockAssociationSet()).singleElement().satisfies(a -> {
      assertThat(a.cidrBlock()).isEqualTo("172.31.0.0/16");
      assertThat(a.cidrBlockState().stateAsString()).isEqualTo("associated");
      assertThat(a.associationId()).startsWith("vpc-cidr-assoc-");
    });
    assertThat(alice.describeVpcs(r -> r.vpcIds(vpcId)).vpcs()).extracting(Vpc::vpcId).containsExactly(vpcId);
    assertThat(alice.describeVpcs(r -> r.filters(filter("is-default", "true"), filter("state", "available"),
        filter("cidr", "172.31.0.0/16"), filter("owner-id", aliceId), filter("vpc-id", vpcId))).vpcs()).hasSize(1);
    assertThat(alice.describeVpcs(r -> r.filters(filter("is-default", "false"))).vpcs()).isEmpty();
    assertThat(bob.describeVpcs().vpcs()).singleElement().satisfies(v -> assertThat(v.vpcId()).isNotEqualTo(vpcId));
    // Another account's VPC is as absent as one that never existed.
    assertCode(() -> bob.describeVpcs(r -> r.vpcIds(vpcId)), "InvalidVpcID.NotFound");
    assertCode(() -> alice.describeVpcs(r -> r.vpcIds("vpc-0123456789abcdef0")), "InvalidVpcID.NotFound");
    assertCode(() -> alice.describeVpcs(r -> r.filters(filter("colour", "green"))), "InvalidParameterValue");
  }

  @Test
  void eachLiveInstanceHasARootVolume() {
    Ec2Client carol = cloud.client(cloud.newAccount("carol"));
    String small = runOne(carol, "t3.small");
    String large = runOne(carol, "m5.large");
    String volumeId = RootVolumes.volumeIdOf(small);
    assertThat(volumeId).startsWith("vol-").hasSize(21);

    List<Volume> volumes = carol.describeVolumes().volumes();
    assertThat(volumes).extracting(Volume::volumeId).containsExactlyInAnyOrder(volumeId, RootVolumes.volumeIdOf(large));
    Volume volume = carol.describeVolumes(r -> r.volumeIds(volumeId)).volumes().get(0);
    assertThat(volume.size()).isEqualTo(8);
    assertThat(volume.availabilityZone()).isEqualTo("canopy-1a");
    assertThat(volume.stateAsString()).isEqualTo("in-use");
    assertThat(volume.volumeTypeAsString()).isEqualTo("gp2");
    assertThat(volume.encrypted()).isFalse();
    assertThat(volume.createTime()).isNotNull();
    assertThat(volume.tags()).isEmpty();
    VolumeAttachment attachment = volume.attachments().get(0);
    assertThat(attachment.instanceId()).isEqualTo(small);
    assertThat(attachment.device()).isEqualTo("/dev/sda1");
    assertThat(attachment.stateAsString()).isEqualTo("attached");
    assertThat(attachment.deleteOnTermination()).isTrue();
    assertThat(carol.describeVolumes(r -> r.volumeIds(RootVolumes.volumeIdOf(large))).volumes().get(0).size()).isEqualTo(32);

    // Filters Terraform and the CLI use; tags set with CreateTags show in tagSet and tag:KEY.
    carol.createTags(r -> r.resources(volumeId).tags(Tag.builder().key("Name").value("root").build()));
    assertThat(carol.describeVolumes(r -> r.filters(filter("attachment.instance-id", small))).volumes())
        .singleElement().satisfies(v -> assertThat(v.tags()).containsExactly(Tag.builder().key("Name").value("root").build()));
    assertThat(carol.describeVolumes(r -> r.filters(filter("tag:Name", "root"))).volumes()).extracting(Volume::volumeId).containsExactly(volumeId);
    assertThat(carol.describeVolumes(r -> r.filters(filter("volume-id", volumeId), filter("status", "in-use"),
        filter("availability-zone", "canopy-1a"))).volumes()).hasSize(1);
    assertThat(carol.describeVolumes(r -> r.filters(filter("status", "available"))).volumes()).isEmpty();

    // Another account, a malformed id, an unknown filter; and the volume goes with its instance.
    assertCode(() -> bob.describeVolumes(r -> r.volumeIds(volumeId)), "InvalidVolume.NotFound");
    assertThat(bob.describeVolumes(r -> r.filters(filter("attachment.instance-id", small))).volumes()).isEmpty();
    assertCode(() -> carol.describeVolumes(r -> r.volumeIds("vol-x")), "InvalidVolumeID.Malformed");
    assertCode(() -> carol.describeVolumes(r -> r.filters(filter("colour", "green"))), "InvalidParameterValue");
    carol.terminateInstances(r -> r.instanceIds(small));
    assertThat(carol.describeVolumes().volumes()).extracting(Volume::volumeId).containsExactly(RootVolumes.volumeIdOf(large));
    assertCode(() -> carol.describeVolumes(r -> r.volumeIds(volumeId)), "InvalidVolume.NotFound");
  }

  @Test
  void creditSpecificationsAreStandardForTheCallersInstances() {
    String id = runOne(alice, "t3.micro");
    assertThat(alice.describeInstanceCreditSpecifications(r -> r.instanceIds(id)).instanceCreditSpecifications())
        .singleElement().satisfies(c -> {
          assertThat(c.instanceId()).isEqualTo(id);
          assertThat(c.cpuCredits()).isEqualTo("standard");
        });
    // Without ids EC2 lists only instances in unlimited mode: none here.
    assertThat(alice.describeInstanceCreditSpecifications().instanceCreditSpecifications())
        .extracting(InstanceCreditSpecification::instanceId).isEmpty();
    assertCode(() -> bob.describeInstanceCreditSpecifications(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
    assertCode(() -> alice.describeInstanceCreditSpecifications(r -> r.instanceIds("i-0123456789abcdef0")), "InvalidInstanceID.NotFound");
    assertCode(() -> alice.describeInstanceCreditSpecifications(r -> r.instanceIds("i-x")), "InvalidInstanceID.Malformed");
  }
}
