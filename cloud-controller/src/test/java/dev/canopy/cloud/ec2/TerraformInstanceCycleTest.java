package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.canopy.cloud.compute.ComputeFixture;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.securitygroups.SecurityGroupService;
import dev.canopy.cloud.tags.TaggableResources;
import dev.canopy.cloud.tags.Tagging;
import dev.canopy.cloud.volumes.RootVolumes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AccountAttributeName;
import software.amazon.awssdk.services.ec2.model.AccountAttributeValue;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.AttributeValue;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceAttributeResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * Terraform's AWS provider driving one {@code aws_instance} through create, refresh and destroy,
 * replayed call for call with the AWS SDK against the real EC2 endpoint.
 *
 * <p>The sequence, from hashicorp/terraform-provider-aws {@code internal/service/ec2/ec2_instance.go}
 * (and the helpers it calls in {@code find.go}, {@code wait.go}, {@code status.go}), for
 * <pre>
 *   resource "aws_instance" "web" {
 *     ami = "ami-..."; instance_type = "t3.micro"; user_data = "#!/bin/sh\necho hi"
 *     instance_initiated_shutdown_behavior = "terminate"
 *     tags = { Name = "web" }; volume_tags = { Owner = "ops" }
 *   }
 * </pre>
 *
 * <b>Provider start-up</b> with skip_credentials_validation, skip_requesting_account_id,
 * skip_metadata_api_check and skip_region_validation: no STS GetCallerIdentity, no IAM/STS
 * account-id lookup, no IMDS probe, no region check. Provider versions before 5.0 still call
 * {@code GetSupportedEC2Platforms} (internal/conns/config.go): DescribeAccountAttributes
 * AttributeName.1=supported-platforms, expecting at least one value, unless
 * skip_get_ec2_platforms is also set; 5.x dropped that call (EC2-Classic is gone). Step 0.
 *
 * <b>Create</b> — {@code resourceInstanceCreate}:
 * <ol>
 *   <li>{@code buildInstanceOpts}: no EC2 call for this config. (DescribeInstanceTypes only with
 *       credit_specification; DescribeImages ImageId.1 via {@code FetchRootDeviceName} only with
 *       root_block_device; DescribeLaunchTemplateVersions only with launch_template.)
 *   <li>RunInstances: ImageId, InstanceType, MinCount=1, MaxCount=1, ClientToken=id.UniqueId()
 *       ("terraform-2024..."), DisableApiTermination=false, EbsOptimized=false,
 *       Monitoring.Enabled=false, Placement.AvailabilityZone="" (sent empty), HibernationOptions.Configured=false,
 *       CreditSpecification.CpuCredits=unlimited (any t3* type), InstanceInitiatedShutdownBehavior,
 *       UserData (base64), TagSpecification.1 ResourceType=instance (tags),
 *       TagSpecification.2 ResourceType=volume (volume_tags). Retried only on IAM-profile errors.
 *   <li>{@code WaitInstanceCreated}: after a 10 s delay, DescribeInstances InstanceId.1=id every
 *       &ge;3 s while "pending", until "running" ({@code StatusInstanceState} uses FindInstance,
 *       not FindInstanceByID; an InvalidInstanceID.NotFound counts as not-found, tolerated 20 times).
 *   <li>CreateTags on root/ebs volumes only for root_block_device.tags / ebs_block_device.tags (none here).
 *   <li>{@code resourceInstanceUpdate} on the new resource: ModifyInstanceAttribute
 *       SourceDestCheck.Value=false only if source_dest_check=false; ModifyInstanceAttribute
 *       InstanceInitiatedShutdownBehavior.Value=... because the attribute is set (HasChange from "");
 *       MonitorInstances only if monitoring=true. One attribute per ModifyInstanceAttribute call.
 *       Then the read below.
 * </ol>
 *
 * <b>Read</b> — {@code resourceInstanceRead} (also every refresh/plan):
 * <ol>
 *   <li>DescribeInstances InstanceId.1=id ({@code FindInstanceByID}: exactly one instance with a
 *       state; "terminated" or InvalidInstanceID.NotFound means gone, and a refresh then drops it
 *       from state). Reads state, placement (AZ, groupName, tenancy), cpuOptions, imageId,
 *       instanceType, keyName, dns names, IPs, subnetId/vpcId, securityGroups (names when no
 *       subnet), tagSet (tags), rootDeviceName, blockDeviceMapping, ebsOptimized, monitoring.state.
 *   <li>DescribeInstanceTypes InstanceType.1=type ({@code FindInstanceTypeByName}); reads
 *       burstablePerformanceSupported.
 *   <li>DescribeTags Filter resource-id=id, key=aws:ec2launchtemplate:id
 *       ({@code flattenInstanceLaunchTemplate}/{@code findInstanceTagValue}); no tag, no more calls.
 *   <li>volume_tags set: {@code readVolumeTags} — DescribeVolumes Filter attachment.instance-id=id,
 *       then DescribeTags Filter resource-id=each volume id.
 *   <li>{@code readSecurityGroups}: DescribeVpcs VpcId.1 only when the instance has a vpcId.
 *   <li>DescribeInstanceAttribute instanceInitiatedShutdownBehavior ({@code readInstanceShutdownBehavior}).
 *   <li>{@code readBlockDevices}: DescribeVolumes VolumeId.N = the ebs volume ids of
 *       blockDeviceMapping; reads size, volumeType, iops, encrypted, kmsKeyId, throughput, tags; the
 *       mapping whose deviceName equals rootDeviceName is root_block_device.
 *   <li>DescribeInstanceAttribute disableApiStop, then disableApiTermination, then userData
 *       (user_data = sha1 of the decoded value).
 *   <li>Only if burstablePerformanceSupported: DescribeInstanceCreditSpecifications InstanceId.1=id
 *       ({@code FindInstanceCreditSpecificationByID}; UnsupportedOperation ignored).
 *   <li>GetPasswordData only with get_password_data.
 * </ol>
 *
 * <b>Delete</b> — {@code resourceInstanceDelete}:
 * <ol>
 *   <li>ModifyInstanceAttribute DisableApiTermination.Value=false (always; an error only logged).
 *   <li>ModifyInstanceAttribute DisableApiStop.Value=true only when disable_api_stop is true in state.
 *   <li>TerminateInstances InstanceId.1=id ({@code terminateInstance}); InvalidInstanceID.NotFound
 *       is success (nothing to wait for).
 *   <li>{@code WaitInstanceDeleted}: DescribeInstances InstanceId.1=id while pending, running,
 *       shutting-down, stopping or stopped, until "terminated" — so a terminated instance must
 *       stay visible by id for a while, as in EC2.
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformInstanceCycleTest {

  private static final String TYPE = "t3.micro";
  private static final String USER_DATA = "#!/bin/sh\necho hi\n";

  private Ec2TestCloud cloud;
  private ComputeFixture compute;
  private SecurityGroupService groups;
  private Ec2Client ec2;
  private Ec2Client other;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cloud = Ec2TestCloud.start(dir, parts -> {
      compute = new ComputeFixture(parts.grid()::map, parts.clock(), 23);
      groups = SecurityGroupService.onGrid(parts.grid(), compute.tags, new ResourceIds(parts.random()), (a, g) -> false);
      RootVolumes volumes = new RootVolumes(compute.instances, compute.types, compute.tags);
      TaggableResources taggable = new TaggableResources()
          .register("i", "instance", "InvalidInstanceID.NotFound", compute.instances::exists)
          .register(volumes.taggableKind());
      List<Ec2Action> actions = new ArrayList<>(InstanceActions.of(compute.instances, TYPE));
      actions.addAll(InstanceTypeActions.of(compute.types));
      actions.addAll(ImageActions.of(compute.images));
      actions.addAll(AccountAttributeActions.of(groups::defaultVpc, 20));
      actions.addAll(VpcActions.of(groups::defaultVpc));
      actions.addAll(VolumeActions.of(volumes));
      actions.addAll(InstanceCreditActions.of(compute.instances));
      actions.addAll(TagActions.of(new Tagging(compute.tags, taggable)));
      return actions;
    });
    compute.addNode("node-big", 64, 131072, 2000);
    ec2 = cloud.client(cloud.newAccount("terraform"));
    other = cloud.client(cloud.newAccount("other"));
  }

  @AfterAll
  void stop() throws Exception {
    cloud.close();
  }

  private static Filter filter(String name, String... values) {
    return Filter.builder().name(name).values(values).build();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  private static String code(Runnable call) {
    try {
      call.run();
    } catch (AwsServiceException e) {
      return e.awsErrorDetails().errorCode();
    }
    return null;
  }

  /** {@code FindInstance}: DescribeInstances InstanceId.1=id, exactly one instance with a state. */
  private Instance findInstance(String id) {
    List<Instance> found = ec2.describeInstances(r -> r.instanceIds(id)).reservations().stream()
        .flatMap(r -> r.instances().stream()).toList();
    assertThat(found).hasSize(1);
    assertThat(found.get(0).state()).isNotNull();
    assertThat(found.get(0).instanceId()).isEqualTo(id);
    return found.get(0);
  }

  /** StateChangeConf over {@code StatusInstanceState}: poll while pending states, until target. */
  private Instance waitFor(String id, InstanceStateName target, List<InstanceStateName> pending) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> {
          Instance i = findInstance(id);
          if (i.state().name() != target) {
            assertThat(pending).as("unexpected state %s", i.state().name()).contains(i.state().name());
          }
          return i;
        }, i -> i.state().name() == target);
  }

  private DescribeInstanceAttributeResponse attribute(String id, InstanceAttributeName name) {
    DescribeInstanceAttributeResponse a = ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute(name));
    assertThat(a.instanceId()).isEqualTo(id);
    return a;
  }

  @Test
  void createReadDeleteAsTheProviderDoes() throws Exception {
    // 0. Start-up (provider < 5.0 without skip_get_ec2_platforms): at least one supported platform.
    assertThat(ec2.describeAccountAttributes(r -> r.attributeNames(AccountAttributeName.SUPPORTED_PLATFORMS))
        .accountAttributes()).singleElement().satisfies(a -> {
          assertThat(a.attributeName()).isEqualTo("supported-platforms");
          assertThat(a.attributeValues()).extracting(AccountAttributeValue::attributeValue).isNotEmpty();
        });

    // ---- create ----
    String ami = compute.systemImage.imageId();
    String userData64 = Base64.getEncoder().encodeToString(USER_DATA.getBytes(StandardCharsets.UTF_8));
    String clientToken = "terraform-20240101120000000000000001";
    RunInstancesResponse run = ec2.runInstances(r -> r
        .imageId(ami).instanceType(TYPE).minCount(1).maxCount(1)
        .clientToken(clientToken)
        .disableApiTermination(false)
        .ebsOptimized(false)
        .monitoring(m -> m.enabled(false))
        .placement(p -> p.availabilityZone(""))
        .hibernationOptions(h -> h.configured(false))
        .creditSpecification(c -> c.cpuCredits("unlimited"))
        .instanceInitiatedShutdownBehavior("terminate")
        .userData(userData64)
        .tagSpecifications(
            TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tag("Name", "web")).build(),
            TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tag("Owner", "ops")).build()));
    assertThat(run.instances()).hasSize(1);
    String id = run.instances().get(0).instanceId();
    assertThat(id).startsWith("i-");
    String volumeId = RootVolumes.volumeIdOf(id);

    Instance created = waitFor(id, InstanceStateName.RUNNING, List.of(InstanceStateName.PENDING));
    assertThat(created.state().name()).isEqualTo(InstanceStateName.RUNNING);
    assertThat(created.clientToken()).isEqualTo(clientToken);

    // resourceInstanceUpdate on the new resource: the shutdown behaviour, one attribute per call.
    ec2.modifyInstanceAttribute(r -> r.instanceId(id)
        .instanceInitiatedShutdownBehavior(AttributeValue.builder().value("terminate").build()));

    // ---- read (after create, and again as a refresh) ----
    for (int pass = 0; pass < 2; pass++) {
      read(id, volumeId, ami);
    }

    // A retried RunInstances (same ClientToken) is the same instance, not a second one.
    assertThat(ec2.runInstances(r -> r.imageId(ami).instanceType(TYPE).minCount(1).maxCount(1).clientToken(clientToken)
        .disableApiTermination(false).ebsOptimized(false).monitoring(m -> m.enabled(false)).placement(p -> p.availabilityZone(""))
        .hibernationOptions(h -> h.configured(false)).creditSpecification(c -> c.cpuCredits("unlimited"))
        .instanceInitiatedShutdownBehavior("terminate").userData(userData64)
        .tagSpecifications(
            TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tag("Name", "web")).build(),
            TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tag("Owner", "ops")).build()))
        .instances()).extracting(Instance::instanceId).containsExactly(id);

    // ---- delete ----
    ec2.modifyInstanceAttribute(r -> r.instanceId(id).disableApiTermination(AttributeBooleanValue.builder().value(false).build()));
    assertThat(ec2.terminateInstances(r -> r.instanceIds(id)).terminatingInstances()).singleElement()
        .satisfies(c -> assertThat(c.instanceId()).isEqualTo(id));
    Instance gone = waitFor(id, InstanceStateName.TERMINATED, List.of(InstanceStateName.PENDING, InstanceStateName.RUNNING,
        InstanceStateName.SHUTTING_DOWN, InstanceStateName.STOPPING, InstanceStateName.STOPPED));
    assertThat(gone.state().name()).isEqualTo(InstanceStateName.TERMINATED);
    assertThat(gone.blockDeviceMappings()).isEmpty();

    // A refresh now: FindInstanceByID sees "terminated" and the provider drops the resource.
    assertThat(findInstance(id).state().name()).isEqualTo(InstanceStateName.TERMINATED);
    // Its root volume went with it.
    assertThat(code(() -> ec2.describeVolumes(r -> r.volumeIds(volumeId)))).isEqualTo("InvalidVolume.NotFound");

    // A second destroy of the same id: EC2 answers with the terminated state, the wait ends at once.
    assertThat(ec2.terminateInstances(r -> r.instanceIds(id)).terminatingInstances()).singleElement()
        .satisfies(c -> assertThat(c.currentState().name()).isEqualTo(InstanceStateName.TERMINATED));
    assertThat(waitFor(id, InstanceStateName.TERMINATED, List.of()).instanceId()).isEqualTo(id);

    // An id the account never had (or another account's): InvalidInstanceID.NotFound, which
    // terminateInstance treats as already deleted and FindInstanceByID as not found.
    String unknown = "i-0123456789abcdef0";
    assertThat(code(() -> ec2.terminateInstances(r -> r.instanceIds(unknown)))).isEqualTo("InvalidInstanceID.NotFound");
    assertThat(code(() -> ec2.describeInstances(r -> r.instanceIds(unknown)))).isEqualTo("InvalidInstanceID.NotFound");
    assertThat(code(() -> other.terminateInstances(r -> r.instanceIds(id)))).isEqualTo("InvalidInstanceID.NotFound");
    assertThat(code(() -> other.describeInstances(r -> r.instanceIds(id)))).isEqualTo("InvalidInstanceID.NotFound");
  }

  /** {@code resourceInstanceRead}, call for call, asserting every field the provider reads. */
  private void read(String id, String volumeId, String ami) {
    // 1. FindInstanceByID.
    Instance i = findInstance(id);
    assertThat(i.state().name()).isEqualTo(InstanceStateName.RUNNING);
    assertThat(i.imageId()).isEqualTo(ami);
    assertThat(i.instanceTypeAsString()).isEqualTo(TYPE);
    assertThat(i.placement().availabilityZone()).isEqualTo("canopy-1a");
    assertThat(i.placement().groupName()).isEmpty();
    assertThat(i.placement().tenancyAsString()).isEqualTo("default");
    assertThat(i.monitoring().stateAsString()).isEqualTo("disabled");
    assertThat(i.ebsOptimized()).isFalse();
    assertThat(i.privateDnsName()).isNotNull(); // "" until the fixture's fake node assigns an address
    assertThat(i.subnetId()).isNull();
    assertThat(i.vpcId()).isNull();
    assertThat(i.securityGroups()).isNotEmpty().allSatisfy(g -> {
      assertThat(g.groupName()).isNotBlank();
      assertThat(g.groupId()).startsWith("sg-");
    });
    assertThat(i.tags()).containsExactly(tag("Name", "web"));
    assertThat(i.rootDeviceName()).isEqualTo("/dev/sda1");
    assertThat(i.rootDeviceTypeAsString()).isEqualTo("ebs");
    assertThat(i.blockDeviceMappings()).singleElement().satisfies((InstanceBlockDeviceMapping m) -> {
      assertThat(m.deviceName()).isEqualTo(i.rootDeviceName());
      assertThat(m.ebs().volumeId()).isEqualTo(volumeId);
      assertThat(m.ebs().deleteOnTermination()).isTrue();
      assertThat(m.ebs().statusAsString()).isEqualTo("attached");
    });

    // 2. FindInstanceTypeByName.
    InstanceTypeInfo type = ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(TYPE)).instanceTypes().get(0);
    assertThat(type.instanceTypeAsString()).isEqualTo(TYPE);
    assertThat(type.burstablePerformanceSupported()).isNotNull();

    // 3. flattenInstanceLaunchTemplate: no launch template tag.
    assertThat(ec2.describeTags(r -> r.filters(filter("resource-id", id), filter("key", "aws:ec2launchtemplate:id"))).tags())
        .isEmpty();
    // The same lookup finds a tag that is there (so the filters are really applied).
    assertThat(ec2.describeTags(r -> r.filters(filter("resource-id", id), filter("key", "Name"))).tags())
        .singleElement().satisfies((TagDescription t) -> {
          assertThat(t.resourceId()).isEqualTo(id);
          assertThat(t.resourceTypeAsString()).isEqualTo("instance");
          assertThat(t.value()).isEqualTo("web");
        });

    // 4. readVolumeTags (volume_tags set): volumes by attachment, then their tags.
    List<String> volumeIds = ec2.describeVolumes(r -> r.filters(filter("attachment.instance-id", id))).volumes().stream()
        .map(Volume::volumeId).toList();
    assertThat(volumeIds).containsExactly(volumeId);
    Map<String, String> volumeTags = ec2.describeTags(r -> r.filters(filter("resource-id", volumeIds.toArray(String[]::new))))
        .tags().stream().collect(Collectors.toMap(TagDescription::key, TagDescription::value));
    assertThat(volumeTags).containsExactly(Map.entry("Owner", "ops"));

    // 5. readSecurityGroups: no vpcId, so no DescribeVpcs; names are used.
    // 6. readInstanceShutdownBehavior.
    assertThat(attribute(id, InstanceAttributeName.INSTANCE_INITIATED_SHUTDOWN_BEHAVIOR).instanceInitiatedShutdownBehavior().value())
        .isEqualTo("terminate");

    // 7. readBlockDevices: DescribeVolumes of the mapping's volume ids.
    List<String> mapped = i.blockDeviceMappings().stream().map(m -> m.ebs().volumeId()).toList();
    Volume root = ec2.describeVolumes(r -> r.volumeIds(mapped)).volumes().get(0);
    assertThat(root.volumeId()).isEqualTo(volumeId);
    assertThat(root.size()).isPositive();
    assertThat(root.volumeTypeAsString()).isEqualTo("gp2");
    assertThat(root.encrypted()).isFalse();
    assertThat(root.kmsKeyId()).isNull();
    assertThat(root.tags()).containsExactly(tag("Owner", "ops"));
    assertThat(root.attachments()).singleElement().satisfies(a -> {
      assertThat(a.instanceId()).isEqualTo(id);
      assertThat(a.device()).isEqualTo(i.rootDeviceName());
    });

    // 8. disableApiStop, disableApiTermination, userData.
    assertThat(attribute(id, InstanceAttributeName.DISABLE_API_STOP).disableApiStop().value()).isFalse();
    assertThat(attribute(id, InstanceAttributeName.DISABLE_API_TERMINATION).disableApiTermination().value()).isFalse();
    String stored = attribute(id, InstanceAttributeName.USER_DATA).userData().value();
    assertThat(new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8)).isEqualTo(USER_DATA);

    // 9. The burstable branch: DescribeInstanceCreditSpecifications InstanceId.1=id, exactly one answer.
    assertThat(ec2.describeInstanceCreditSpecifications(r -> r.instanceIds(id)).instanceCreditSpecifications())
        .singleElement().satisfies(c -> {
          assertThat(c.instanceId()).isEqualTo(id);
          assertThat(c.cpuCredits()).isIn("standard", "unlimited");
        });
  }
}
