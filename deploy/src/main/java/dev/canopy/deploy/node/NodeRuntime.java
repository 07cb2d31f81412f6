package dev.canopy.deploy.node;

import dev.canopy.node.commands.NodeCapacity;
import dev.canopy.node.commands.NodeCompute;
import dev.canopy.node.commands.NodeSettings;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.DomainReport;
import dev.canopy.node.protocol.HostCapacity;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The hypervisor side of a node agent, opened once the agent knows its node id (enrollment
 * assigns it, and domains carry it in their metadata). Until then, commands are answered
 * "NotReady" and the agent reports no domains and the host's own resources.
 */
public final class NodeRuntime implements AutoCloseable {

  private final Path dataDir;
  private final String hypervisorUri;
  private final AtomicReference<NodeCompute> compute = new AtomicReference<>();
  private final NotReadyDispatcher notReady = new NotReadyDispatcher();

  public NodeRuntime(Path dataDir, String hypervisorUri) {
    this.dataDir = dataDir;
    this.hypervisorUri = hypervisorUri;
  }

  /** Connects to libvirt as node {@code nodeId}; blocking, call off the event loop. */
  public void open(String nodeId) {
    NodeCompute opened = NodeCompute.open(NodeSettings.defaults(nodeId, dataDir), HypervisorSettings.defaults(hypervisorUri));
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

  @Override
  public void close() {
    NodeCompute current = compute.getAndSet(null);
    if (current != null) {
      current.close();
    }
  }
}
