package dev.canopy.cloud.lease.net;

import dev.canopy.cloud.lease.LeaseMessage;
import io.vertx.core.Future;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How {@link LeaseService} reaches the other controllers. Promises neither delivery nor order:
 * PaxosLease tolerates loss, duplication and reordering, so an implementation drops rather than
 * waits. {@link LeaseTransport} is the real one (mutual TLS on the lease port).
 */
public interface LeaseChannel {

  /**
   * Starts listening and dialling; {@code inbound} then receives each message whose sender has
   * been authenticated. Called once, on the context that will own the channel's callbacks.
   */
  Future<Void> start(Consumer<LeaseMessage> inbound);

  /**
   * Sends to one controller, or to every other one with {@link
   * dev.canopy.cloud.lease.Effects.Send#ALL_OTHERS}. Never blocks; a message that cannot go out
   * now is dropped.
   */
  void send(int toNodeId, LeaseMessage message);

  /**
   * From now on speaks for controller set {@code next}: its configuration hash, its peers. Called
   * on the service's context when this controller adopts a new version of the set.
   */
  void reconfigure(dev.canopy.cloud.lease.LeaseConfig next);

  /** The peers this controller can currently exchange messages with, in both directions. */
  Set<Integer> reachablePeers();

  /** Messages dropped because their sender runs another cluster configuration (an alarm). */
  long configMismatches();

  Future<Void> close();
}
