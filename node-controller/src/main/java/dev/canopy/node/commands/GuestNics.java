package dev.canopy.node.commands;

import dev.canopy.node.hypervisor.NicAttachment;
import dev.canopy.node.protocol.Firewall;
import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;
import java.util.Optional;

/**
 * Plugs instances into the node's network: the attachment (with its address and firewall) each
 * domain's NIC gets, firewall updates, and cleanup. Implementations are idempotent: a retried
 * command calls them again.
 */
public interface GuestNics {

  /** Assigns the instance's address and installs its firewall; the same address on every call. */
  NicAttachment attach(InstanceSpec spec) throws IOException;

  /**
   * Replaces the firewall of an instance plugged in here (running or stopped); takes effect on its
   * running interface within seconds.
   *
   * @return false, changing nothing, when the instance is not plugged in on this node (never
   *     launched here, or terminated: a late update must not leave a filter no terminate removes)
   */
  boolean updateFirewall(String instanceId, Firewall firewall) throws IOException;

  /** Frees the instance's address and removes its firewall; nothing to remove is fine. */
  void detach(String instanceId) throws IOException;

  /** The instance's private address, when this node assigned one. */
  Optional<String> addressOf(String instanceId);

  /** Plugs every instance into a network or bridge the operator manages: no addresses, no firewall. */
  static GuestNics unmanaged(NicAttachment attachment) {
    return new GuestNics() {
      @Override
      public NicAttachment attach(InstanceSpec spec) {
        return attachment;
      }

      @Override
      public boolean updateFirewall(String instanceId, Firewall firewall) {
        return true; // no firewall here to update
      }

      @Override
      public void detach(String instanceId) {}

      @Override
      public Optional<String> addressOf(String instanceId) {
        return Optional.empty();
      }
    };
  }
}
