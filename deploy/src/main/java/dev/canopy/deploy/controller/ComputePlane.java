package dev.canopy.deploy.controller;

import dev.canopy.api.query.Filter;
import dev.canopy.cloud.compute.ClientTokenRecord;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.InstanceTypes;
import dev.canopy.cloud.compute.LaunchQuota;
import dev.canopy.cloud.ec2.AccountAttributeActions;
import dev.canopy.cloud.ec2.Ec2Actions;
import dev.canopy.cloud.ec2.ImageAttributeActions;
import dev.canopy.cloud.ec2.InstanceCreditActions;
import dev.canopy.cloud.ec2.VolumeActions;
import dev.canopy.cloud.ec2.VpcActions;
import dev.canopy.cloud.ec2.ImageActions;
import dev.canopy.cloud.ec2.InstanceActions;
import dev.canopy.cloud.ec2.InstanceTypeActions;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.instancehours.RunTime;
import dev.canopy.cloud.instancehours.RunTimes;
import dev.canopy.cloud.images.ImageName;
import dev.canopy.cloud.images.ImageCatalog;
import dev.canopy.cloud.images.ImageObjects;
import dev.canopy.cloud.compute.GuestSetup;
import dev.canopy.core.time.Time;
import java.util.function.Function;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.keypairs.KeyPair;
import dev.canopy.cloud.keypairs.KeyPairs;
import dev.canopy.cloud.scheduler.CapacityLedger;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.scheduler.NodeCapacity;
import dev.canopy.cloud.scheduler.NodeCommands;
import dev.canopy.cloud.scheduler.Nodes;
import dev.canopy.cloud.scheduler.PlacementPolicy;
import dev.canopy.cloud.scheduler.Scheduler;
import dev.canopy.cloud.securitygroups.SecurityGroupChecks;
import dev.canopy.cloud.securitygroups.SecurityGroups;
import dev.canopy.cloud.tags.TagStore;
import dev.canopy.cloud.tags.TaggableResources;
import dev.canopy.cloud.volumes.RootVolumes;
import dev.canopy.storage.backend.ObjectBackend;
import dev.canopy.storage.s3.BucketRegistry;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.LongSupplier;
import dev.canopy.cloud.compute.ComputeErrors;
import dev.canopy.cloud.fencing.FencedTable;
import dev.canopy.core.cache.KeyedMemo;
import dev.canopy.cloud.fencing.EpochMint;

/**
 * The compute side of a controller: images, instance types, the scheduler over the enrolled
 * nodes, and instances, wired to the key-pair and security-group families and to the agent
 * transport. Construction only; {@link ReconcileLoop} drives the periodic work.
 */
final class ComputePlane {

  static final String DEFAULT_INSTANCE_TYPE = "t3.micro";

  final ImageService images;
  final InstanceService instances;
  /** Read by the operator's node view: every account's instances on a node. */
  private final dev.canopy.cloud.grid.Table<Instance> instanceTable;
  final InstanceTypes types = InstanceTypes.defaults();
  final RootVolumes volumes;
  private final SecurityGroups groups;


  /**
   * @param guests what real guests need, built from the image catalog this plane creates (nodes on
   *     libvirt's test driver need {@link GuestSetup#NONE})
   */
  ComputePlane(Grid grid, Nodes nodes, NodeCommands commands, Leadership leadership, KeyPairs keyPairs,
      SecurityGroups groups, TagStore tags, ImageObjects imageObjects, List<String> zones, SecureRandom random,
      Time clock, LaunchQuota quota, Function<ImageCatalog, GuestSetup> guests) {
    images = new ImageService(grid.map(ImageService.MAP, Image.class), grid.map(ImageService.NAMES_MAP, ImageName.class),
        tags, new ResourceIds(random), clock, imageObjects);
    // Placements, instances and their run times are leader writes, fenced: refused when the grid holds a newer
    // epoch than the writer's, or the entry was written under one.
    LongSupplier writerEpoch = new EpochMint(grid, clock).fence(() -> {
      if (!leadership.isLeader()) {
        throw ComputeErrors.notLeader();
      }
      return leadership.epoch();
    });
    Scheduler scheduler = new Scheduler(nodes,
        new CapacityLedger(FencedTable.open(grid, CapacityLedger.MAP, NodeCapacity.class, writerEpoch)), PlacementPolicy.SPREAD, random);
    instanceTable = FencedTable.open(grid, InstanceService.INSTANCES_MAP, Instance.class, writerEpoch,
        KeyedMemo.ofSize(InstanceService.RECORDS_REMEMBERED));
    instances = new InstanceService(instanceTable,
        grid.map(InstanceService.CLIENT_TOKENS_MAP, ClientTokenRecord.class),
        FencedTable.open(grid, RunTimes.MAP, RunTime.class, writerEpoch),
        new InstanceService.Dependencies(types, images,
            (accountId, keyName) -> keyPairs.find(accountId, keyName).map(KeyPair::publicKey),
            SecurityGroupChecks.of(groups), tags, scheduler, commands, leadership, zones),
        random, clock, quota, guests.apply(images));
    volumes = new RootVolumes(instances, types, tags);
    this.groups = groups;
  }

  /** An image file must be an existing object in a bucket the registering account owns. */


  void register(Ec2Actions actions, TaggableResources taggable) {
    actions.register(InstanceActions.of(instances, DEFAULT_INSTANCE_TYPE))
        .register(InstanceTypeActions.of(types))
        .register(ImageActions.of(images));
    actions.register(ImageAttributeActions.of(images))
        .register(AccountAttributeActions.of(groups::defaultVpc))
        .register(VpcActions.of(groups::defaultVpc))
        .register(VolumeActions.of(volumes))
        .register(InstanceCreditActions.of(instances));
    taggable.register("i", "instance", "InvalidInstanceID.NotFound", instances::exists);
    taggable.register("ami", "image", "InvalidAMIID.NotFound", images::exists);
    taggable.register(volumes.taggableKind());
  }

  /** True while an instance that is not terminated names the group (DeleteSecurityGroup's DependencyViolation). */
  boolean groupInUse(String accountId, String groupId) {
    var filters = List.of(new Filter("instance.group-id", List.of(groupId)),
        new Filter("instance-state-name", List.of("pending", "running", "stopping", "stopped", "shutting-down")));
    return !instances.describe(accountId, List.of(), filters, null, null).instances().isEmpty();
  }

  /** Every account's instances placed on {@code nodeId} (a grid scan; blocking). */
  public java.util.List<Instance> instancesOn(String nodeId) {
    return instanceTable.values(i -> nodeId.equals(i.nodeId()));
  }
}
