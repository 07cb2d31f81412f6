package dev.canopy.cloud.compute;

import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageName;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.instancehours.RunTime;
import dev.canopy.cloud.instancehours.RunTimes;
import dev.canopy.cloud.scheduler.CapacityLedger;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.scheduler.NodeCapacity;
import dev.canopy.cloud.scheduler.NodeInfo;
import dev.canopy.cloud.scheduler.PlacementPolicy;
import dev.canopy.cloud.scheduler.Scheduler;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The instance and image domain wired over any tables (in memory or the grid), with fake
 * nodes, fake agents, an in-memory tag store and permissive key-pair and group checks (key
 * pair "k1" exists; groups resolve to one default group).
 */
public final class ComputeFixture {

  /** Where tables come from: {@code InMemoryTables::table} or {@code grid::map}. */
  public interface Tables {
    <T> Table<T> table(String name, Class<T> type);
  }

  public static final List<String> ZONES = List.of("canopy-1a");

  public final List<NodeInfo> nodes = new CopyOnWriteArrayList<>();
  public final FakeNodeCommands commands = new FakeNodeCommands();
  public final MemoryTagStore tags = new MemoryTagStore();
  public final InstanceTypes types = InstanceTypes.defaults();
  public final CapacityLedger ledger;
  public final ImageService images;
  public final InstanceService instances;
  public final Image systemImage;

  public ComputeFixture(Tables tables, InstantSource clock, long seed) {
    this(tables, clock, seed, LaunchQuota.NONE);
  }

  /** With launch quotas on RunInstances. */
  public ComputeFixture(Tables tables, InstantSource clock, long seed, LaunchQuota quota) {
    this(tables, clock, seed, quota, catalog -> GuestSetup.NONE);
  }

  /** For real guests: image delivery and firewalls built from the fixture's image catalog. */
  public ComputeFixture(Tables tables, InstantSource clock, long seed, LaunchQuota quota,
      java.util.function.Function<dev.canopy.cloud.images.ImageCatalog, GuestSetup> guests) {
    Random random = new Random(seed);
    ledger = new CapacityLedger(tables.table(CapacityLedger.MAP, NodeCapacity.class));
    images = new ImageService(tables.table(ImageService.MAP, Image.class), tables.table(ImageService.NAMES_MAP, ImageName.class), tags,
        new ResourceIds(random), clock);
    Scheduler scheduler = new Scheduler(() -> List.copyOf(nodes), ledger, PlacementPolicy.SPREAD, random);
    KeyPairCheck keyPairs = (account, name) -> name.equals("k1") ? Optional.of("ssh-ed25519 AAAA test") : Optional.empty();
    SecurityGroupCheck groups = (account, ids, names) -> {
      for (String id : ids) {
        if (!id.equals("sg-00000000000000001")) {
          throw new dev.canopy.api.error.AwsException(400, "InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
        }
      }
      return List.of(new GroupRef("sg-00000000000000001", "default"));
    };
    instances = new InstanceService(tables.table(InstanceService.INSTANCES_MAP, Instance.class),
        tables.table(InstanceService.CLIENT_TOKENS_MAP, ClientTokenRecord.class),
        tables.table(RunTimes.MAP, RunTime.class),
        new InstanceService.Dependencies(types, images, keyPairs, groups, tags, scheduler, commands, Leadership.single(), ZONES),
        random, clock, quota, guests.apply(images));
    systemImage = images.registerSystemImage("canopy-tiny", "the tiny bootable image", "canopy-images/tiny/disk.raw",
        "canopy-images/tiny/vmlinuz", "canopy-images/tiny/initrd.img");
  }

  public NodeInfo addNode(String id, int vcpus, int memoryMib, int diskGib) {
    NodeInfo node = new NodeInfo(id, ZONES.get(0), new dev.canopy.cloud.scheduler.Capacity(vcpus, memoryMib, diskGib), true);
    nodes.add(node);
    return node;
  }
}
