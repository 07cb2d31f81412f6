package dev.canopy.cloud.compute;

import dev.canopy.api.error.Ec2Errors;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageCatalog;
import dev.canopy.cloud.images.ImageDelivery;
import dev.canopy.cloud.images.ImageErrors;
import dev.canopy.cloud.scheduler.Capacity;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.scheduler.NodeInfo;
import dev.canopy.cloud.scheduler.Scheduler;
import dev.canopy.cloud.tags.TagStore;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import dev.canopy.node.protocol.ImageFiles;
import dev.canopy.node.protocol.InstanceSpec;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RunInstances: validate, honour the client token, place each instance (reserving capacity),
 * write them pending, then ask the nodes to run them. The answer does not wait for the nodes:
 * like EC2, RunInstances returns pending instances, and acks move them on.
 */
final class InstanceLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceLauncher.class);

  private final InstanceStore store;
  private final Table<ClientTokenRecord> tokens;
  private final InstanceTypes types;
  private final ImageCatalog images;
  private final KeyPairCheck keyPairs;
  private final SecurityGroupCheck groups;
  private final TagStore tags;
  private final Scheduler scheduler;
  private final Leadership leadership;
  private final CommandSender sender;
  private final List<String> zones;
  private final ResourceIds ids;
  private final RandomGenerator random;
  private final InstantSource clock;
  private final LaunchQuota quota;
  private final ImageDelivery delivery;
  private final InstanceSpecs specs;
  private final FirewallSync firewalls;

  InstanceLauncher(InstanceStore store, Table<ClientTokenRecord> tokens, InstanceTypes types, ImageCatalog images,
      KeyPairCheck keyPairs, SecurityGroupCheck groups, TagStore tags, Scheduler scheduler, Leadership leadership,
      CommandSender sender, List<String> zones, ResourceIds ids, RandomGenerator random, InstantSource clock, LaunchQuota quota,
      ImageDelivery delivery, InstanceSpecs specs, FirewallSync firewalls) {
    this.delivery = delivery;
    this.specs = specs;
    this.firewalls = firewalls;
    this.store = store;
    this.tokens = tokens;
    this.types = types;
    this.images = images;
    this.keyPairs = keyPairs;
    this.groups = groups;
    this.tags = tags;
    this.scheduler = scheduler;
    this.leadership = leadership;
    this.sender = sender;
    this.zones = List.copyOf(zones);
    this.ids = ids;
    this.random = random;
    this.clock = clock;
    this.quota = quota;
  }

  Reservation run(String accountId, LaunchRequest request) {
    if (!leadership.isLeader()) {
      throw ComputeErrors.notLeader();
    }
    InstanceType type = types.find(request.instanceType())
        .orElseThrow(() -> Ec2Errors.invalidParameterValue("Invalid value '" + request.instanceType() + "' for InstanceType."));
    Image image = images.launchable(accountId, request.imageId()).orElseThrow(() -> ImageErrors.notFound(request.imageId()));
    String publicKey = request.keyName() == null ? null
        : keyPairs.publicKey(accountId, request.keyName()).orElseThrow(() -> ComputeErrors.keyPairNotFound(request.keyName()));
    List<GroupRef> groupRefs = groups.resolve(accountId, request.securityGroupIds(), request.securityGroupNames());
    if (request.zone() != null && !zones.contains(request.zone())) {
      throw Ec2Errors.invalidParameterValue("Invalid availability zone: [" + request.zone() + "]");
    }
    String reservationId = ids.next("r");
    if (request.clientToken() != null) {
      ClientTokenRecord claim = new ClientTokenRecord(accountId, request.clientToken(), request.withoutToken(), reservationId);
      String key = ClientTokenRecord.key(accountId, request.clientToken());
      if (!tokens.putIfAbsent(key, claim)) {
        return replay(accountId, tokens.get(key).orElseThrow(), request);
      }
    }
    try {
      return launch(accountId, request, reservationId, type, image, publicKey, groupRefs);
    } catch (RuntimeException e) {
      // Nothing was launched: free the token so the client's retry can succeed later.
      if (request.clientToken() != null) {
        tokens.remove(ClientTokenRecord.key(accountId, request.clientToken()));
      }
      throw e;
    }
  }

  private Reservation replay(String accountId, ClientTokenRecord earlier, LaunchRequest request) {
    if (!earlier.request().equals(request.withoutToken())) {
      throw ComputeErrors.idempotentMismatch(request.clientToken());
    }
    List<Instance> instances = new ArrayList<>(store.inReservation(accountId, earlier.reservationId()));
    instances.sort(Comparator.comparingInt(Instance::amiLaunchIndex));
    return new Reservation(earlier.reservationId(), accountId, instances);
  }

  private Reservation launch(String accountId, LaunchRequest request, String reservationId, InstanceType type, Image image,
      String publicKey, List<GroupRef> groupRefs) {
    Capacity need = type.capacity();
    // Before capacity is reserved: an image whose objects are gone fails the call, not the node.
    ImageFiles files = delivery.files(accountId, image);
    // Before any capacity is reserved: the quota may lower MaxCount, or refuse below MinCount.
    int allowed = quota == LaunchQuota.NONE ? request.maxCount()
        : quota.admit(accountId, AccountUsage.of(store, types, accountId, clock.instant()), request.minCount(), request.maxCount(), type.vcpus());
    // One request to the scheduler for all of them: it places them in one pass with the launches alongside.
    List<NodeInfo> placed = scheduler.placeUpTo(need, request.zone(), allowed);
    if (placed.size() < request.minCount()) {
      placed.forEach(n -> scheduler.release(n.nodeId(), need));
      throw ComputeErrors.insufficientCapacity(type.name());
    }
    Instant now = clock.instant();
    List<Instance> instances = new ArrayList<>();
    try {
      for (int index = 0; index < placed.size(); index++) {
        NodeInfo node = placed.get(index);
        Instance instance = new Instance(ids.next("i"), reservationId, accountId, image.imageId(), type.name(),
            InstanceState.PENDING, null, "", request.keyName(), groupRefs, node.zone(), node.nodeId(), leadership.epoch(),
            null, macAddress(), now, request.clientToken(), request.userData(), index, image.kernelId(), image.ramdiskId(),
            need, false, null, request.attributes());
        store.put(instance);
        instances.add(instance);
        if (!request.tags().isEmpty()) {
          tags.put(accountId, instance.instanceId(), "instance", request.tags());
        }
      }
    } catch (RuntimeException e) {
      // A placement whose instance was never written is held by nothing that would ever free it
      // (a grid refusal in a failover, a fenced write): give it back, or the node loses it for good.
      for (NodeInfo unrecorded : placed.subList(instances.size(), placed.size())) {
        try {
          scheduler.release(unrecorded.nodeId(), need);
        } catch (RuntimeException releaseFailed) {
          e.addSuppressed(releaseFailed);
        }
      }
      throw e;
    }
    for (Instance instance : instances) {
      InstanceSpec spec = specs.launch(instance, type, files, publicKey);
      sender.send(instance.nodeId(), CommandTypes.RUN_INSTANCE, spec).thenAccept(ack -> launched(instance.instanceId(), ack));
    }
    return new Reservation(reservationId, accountId, instances);
  }

  /** The node's answer to runInstance: running, or terminated with the capacity given back. */
  void launched(String instanceId, Ack ack) {
    Instant now = clock.instant();
    // Set by the attempt that wins: only the move pending -> terminated here releases capacity.
    boolean[] failedHere = new boolean[1];
    Optional<Instance> after = store.update(instanceId, i -> {
      failedHere[0] = false;
      if (i.state() != InstanceState.PENDING) {
        return i; // terminated meanwhile: the terminate path owns the capacity
      }
      if (ack.ok()) {
        String ip = ack.result() == null ? null : ack.result().path("privateIp").asText(null);
        return i.moveTo(InstanceState.RUNNING, null, "", now).withPrivateIp(ip);
      }
      failedHere[0] = true;
      return i.moveTo(InstanceState.TERMINATED, StateReason.launchFailed(ack.error(), ack.message()), "", now);
    });
    if (failedHere[0] && after.isPresent()) {
      LOG.warn("instance {} failed to launch on node {}: {}", instanceId, after.get().nodeId(), after.get().stateReason().message());
      scheduler.release(after.get().nodeId(), after.get().reserved());
      // The attempt may have taken an address, written an overlay and a seed, or left a domain
      // defined (a failed start is not rolled back): terminate (idempotent) gives all of it back.
      sender.send(after.get().nodeId(), CommandTypes.TERMINATE_INSTANCE, new CommandSender.InstanceRef(instanceId));
    } else if (ack.ok() && after.isPresent() && after.get().privateIp() != null) {
      firewalls.membershipChanged(after.get());
    }
  }

  /** A locally administered unicast MAC in QEMU's 52:54:00 range, stable for the instance's life. */
  private String macAddress() {
    synchronized (random) {
      return String.format("52:54:00:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }
  }
}
