package dev.canopy.deploy.node;

import dev.canopy.core.time.Time;
import dev.canopy.images.cache.ImageCacheSettings;
import dev.canopy.node.guests.RealGuests;
import dev.canopy.node.guests.VirtTypeProbe;
import dev.canopy.node.network.GuestNetworkSettings;

import dev.canopy.node.commands.NodeCapacity;
import dev.canopy.node.commands.NodeCompute;
import dev.canopy.node.commands.NodeSettings;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.agent.AgentClient;
import dev.canopy.node.commands.NodeIdentity;
import dev.canopy.node.metering.MeteringLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The hypervisor side of a node agent, opened once the agent knows its node id (enrollment
 * assigns it, and domains carry it in their metadata). Until then, commands are answered
 * "NotReady" and the agent reports no domains and the host's own resources.
 */
public final class NodeRuntime implements AutoCloseable {

  /** The image cache's bound: base images are shared, so a few tens of GiB serve many instances. */
  static final long IMAGE_CACHE_BYTES = 20L << 30;

  private final Path dataDir;
  private final String hypervisorUri;
  private final String virtType;
  private final Optional<VirtTypeProbe.ProbeImage> probe;
  private final Time time;
  private final RandomGenerator random;
  private final AtomicReference<NodeCompute> compute = new AtomicReference<>();
  private final NotReadyDispatcher notReady = new NotReadyDispatcher();
  private volatile Vertx meteringVertx;
  private volatile String meteringDeployment;

  /**
   * @param virtType kvm, qemu or auto (boot {@code probe} under KVM first; QEMU unless it works)
   * @param random names metering batches (with a sequence number) so a wiped node's never collide
   */
  public NodeRuntime(Path dataDir, String hypervisorUri, String virtType, Optional<VirtTypeProbe.ProbeImage> probe, Time time,
      RandomGenerator random) {
    this.dataDir = dataDir;
    this.time = time;
    this.random = random;
    this.hypervisorUri = hypervisorUri;
    this.virtType = virtType;
    this.probe = probe;
  }

  /** Connects to libvirt as node {@code nodeId}; blocking, call off the event loop. */
  public void open(String nodeId) {
    NodeSettings settings = NodeSettings.defaults(nodeId, dataDir);
    // libvirt's test driver runs no guests: no network of our own, no images to fetch.
    NodeCompute opened = hypervisorUri.startsWith("test:")
        ? NodeCompute.open(settings, HypervisorSettings.defaults(hypervisorUri), time)
        : RealGuests.open(settings, HypervisorSettings.defaults(hypervisorUri), GuestNetworkSettings.defaults(),
            ImageCacheSettings.defaults(dataDir.resolve("images"), IMAGE_CACHE_BYTES), virtType, probe, time);
    if (!compute.compareAndSet(null, opened)) {
      opened.close();
    }
  }

  public Function<Command, Ack> dispatcher() {
    return command -> {
      NodeCompute current = compute.get();
      return current == null ? notReady.apply(command) : current.dispatcher().dispatch(command);
    };
  }

  public Supplier<List<DomainReport>> domains() {
    return () -> {
      NodeCompute current = compute.get();
      return current == null ? List.of() : current.inventory().domains();
    };
  }

  /** What the hypervisor offers once connected (libvirt's node info), the host's view before. */
  public Supplier<HostCapacity> capacity() {
    return () -> {
      NodeCompute current = compute.get();
      if (current == null) {
        return HostResources.capacity(dataDir);
      }
      NodeCapacity c = current.inventory().capacity();
      return new HostCapacity(c.vcpus(), c.memoryMib(), c.diskGib());
    };
  }

  /**
   * Starts metering this node's guests every {@code interval} (after {@link #open}), shipping the
   * batches through {@code agent}; unacknowledged ones wait under the data dir's {@code metering/}.
   */
  public Future<String> startMetering(Vertx vertx, AgentClient agent, Duration interval) {
    NodeCompute current = compute.get();
    if (current == null || agent.nodeId().isEmpty()) {
      return Future.failedFuture(new IllegalStateException("metering starts after the node side is open"));
    }
    NodeIdentity node = new NodeIdentity(agent.nodeId().get());
    // Opening the queue reads what a previous run left: off the event loop.
    return vertx.executeBlocking(() -> MeteringLoop.create(agent, current.hypervisor(), node, dataDir, interval, time, random), false)
        .compose(vertx::deployVerticle)
        .onSuccess(id -> {
          meteringVertx = vertx;
          meteringDeployment = id;
        });
  }

  /** Stops metering; what is queued stays on disk for the next start. */
  public Future<Void> stopMetering() {
    String id = meteringDeployment;
    meteringDeployment = null;
    return id == null ? Future.succeededFuture() : meteringVertx.undeploy(id);
  }

  @Override
  public void close() {
    NodeCompute current = compute.getAndSet(null);
    if (current != null) {
      current.close();
    }
  }
}
