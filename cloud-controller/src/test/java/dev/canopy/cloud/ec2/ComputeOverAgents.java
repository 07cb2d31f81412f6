package dev.canopy.cloud.ec2;

import dev.canopy.cloud.instancehours.RunTime;
import dev.canopy.cloud.instancehours.RunTimes;
import dev.canopy.cloud.agents.AgentCluster;
import dev.canopy.cloud.agents.RegistryNodes;
import dev.canopy.cloud.compute.ClientTokenRecord;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.InstanceTypes;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageName;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.keypairs.KeyPair;
import dev.canopy.cloud.keypairs.KeyPairService;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.scheduler.CapacityLedger;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.scheduler.NodeCapacity;
import dev.canopy.cloud.scheduler.PlacementPolicy;
import dev.canopy.cloud.scheduler.Scheduler;
import dev.canopy.cloud.securitygroups.GroupUsage;
import dev.canopy.cloud.securitygroups.SecurityGroupChecks;
import dev.canopy.cloud.securitygroups.SecurityGroupService;
import dev.canopy.cloud.tags.GridTagStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: the compute families (images, key pairs, security groups, the SPREAD scheduler
 * over the agent cluster's registry, instances) wired on {@link Ec2TestCloud}'s grid as the dev
 * assembly's ComputePlane wires them, commanding nodes through an {@link AgentCluster}.
 */
public final class ComputeOverAgents {

  public final InstanceTypes types = InstanceTypes.defaults();
  public final ImageService images;
  public final CapacityLedger ledger;
  public final InstanceService instances;
  /** The EC2 actions to register: instances, instance types, images, key pairs, security groups. */
  public final List<Ec2Action> actions = new ArrayList<>();

  public ComputeOverAgents(Ec2TestCloud.Parts parts, AgentCluster cluster, String zone, String defaultInstanceType) {
    Grid grid = parts.grid();
    GridTagStore tags = GridTagStore.onGrid(grid);
    ResourceIds ids = new ResourceIds(parts.random());
    KeyPairService keyPairs = KeyPairService.onGrid(grid, tags, ids, parts.random(), parts.clock());
    SecurityGroupService groups = SecurityGroupService.onGrid(grid, tags, ids, GroupUsage.NEVER);
    images = new ImageService(grid.map(ImageService.MAP, Image.class), grid.map(ImageService.NAMES_MAP, ImageName.class),
        tags, ids, parts.clock());
    ledger = new CapacityLedger(grid.map(CapacityLedger.MAP, NodeCapacity.class));
    Scheduler scheduler = new Scheduler(new RegistryNodes(cluster.registry(), cluster.server()::hasSession), ledger, PlacementPolicy.SPREAD, parts.random());
    instances = new InstanceService(grid.map(InstanceService.INSTANCES_MAP, Instance.class),
        grid.map(InstanceService.CLIENT_TOKENS_MAP, ClientTokenRecord.class),
        grid.map(RunTimes.MAP, RunTime.class),
        new InstanceService.Dependencies(types, images,
            (accountId, keyName) -> keyPairs.find(accountId, keyName).map(KeyPair::publicKey),
            SecurityGroupChecks.of(groups), tags, scheduler, cluster.commands(), Leadership.single(), List.of(zone)),
        parts.random(), parts.clock());
    actions.addAll(InstanceActions.of(instances, defaultInstanceType));
    actions.addAll(InstanceTypeActions.of(types));
    actions.addAll(ImageActions.of(images));
    actions.addAll(KeyPairActions.of(keyPairs, tags));
    actions.addAll(SecurityGroupActions.of(groups, tags));
  }
}
