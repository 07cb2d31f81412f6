package dev.canopy.node.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.core.time.Time;
import dev.canopy.core.time.Waiting;
import dev.canopy.node.hypervisor.DomainSummary;
import dev.canopy.node.hypervisor.Hypervisor;
import dev.canopy.node.hypervisor.HypervisorException;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import dev.canopy.node.protocol.CommandTypes;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code stopInstance}: ACPI shutdown, then destroy if the guest is still up after the stop
 * timeout; with {@code "force": true}, destroy at once. Already shut off is success. The result's
 * {@code "stoppedBy"} says which way it went ("acpi", "destroy", or "none" when already off).
 */
public final class StopInstanceHandler implements CommandHandler {

  private final Hypervisor hypervisor;
  private final OwnedDomains owned;
  private final Duration stopTimeout;
  private final Duration pollInterval;
  private final Time time;

  public StopInstanceHandler(Hypervisor hypervisor, NodeIdentity node, Duration stopTimeout, Duration pollInterval,
      Time time) {
    this.hypervisor = hypervisor;
    this.owned = new OwnedDomains(hypervisor, node);
    this.stopTimeout = stopTimeout;
    this.pollInterval = pollInterval;
    this.time = time;
  }

  @Override
  public String type() {
    return CommandTypes.STOP_INSTANCE;
  }

  @Override
  public Ack handle(Command command) {
    return Acks.guard(command, () -> stop(command));
  }

  private Ack stop(Command command) {
    String id = Payloads.instanceId(command);
    Optional<DomainSummary> domain = owned.find(id);
    if (domain.isEmpty()) {
      return Acks.failed(command, Acks.NO_SUCH_DOMAIN, "no domain " + id + " on this node");
    }
    if (!domain.get().state().isActive()) {
      return stopped(command, id, "none");
    }
    if (Payloads.flag(command, "force")) {
      destroyIfActive(id);
      return stopped(command, id, "destroy");
    }
    try {
      hypervisor.shutdown(id);
    } catch (HypervisorException e) {
      // The guest may have powered off between our look and the request (libvirt then reports
      // an error whose code differs between drivers); only a domain still up is a failure.
      if (e.kind() == HypervisorException.Kind.TIMEOUT || hypervisor.state(id).isActive()) {
        throw e;
      }
      return stopped(command, id, "acpi");
    }
    try {
      if (waitForShutoff(id)) {
        return stopped(command, id, "acpi");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // Being interrupted means the agent is going down: leave the guest to finish on its own.
      return Acks.failed(command, Acks.TIMEOUT, "interrupted while waiting for " + id + " to power off");
    }
    destroyIfActive(id);
    return stopped(command, id, "destroy");
  }

  /** Polls until shut off or the stop timeout ({@link Waiting} bounds the polls as well as the time). */
  private boolean waitForShutoff(String id) throws InterruptedException {
    return Waiting.holdsWithin(time, () -> !hypervisor.state(id).isActive(), stopTimeout, pollInterval);
  }

  private void destroyIfActive(String id) {
    try {
      hypervisor.destroy(id);
    } catch (HypervisorException e) {
      if (e.kind() != HypervisorException.Kind.INVALID_STATE) {
        throw e;
      }
      // Powered off on its own just before the destroy: that is what we wanted.
    }
  }

  private Ack stopped(Command command, String id, String how) {
    Ack ack = Acks.ok(command, id, hypervisor.state(id));
    ((ObjectNode) ack.result()).put("stoppedBy", how);
    return ack;
  }
}
