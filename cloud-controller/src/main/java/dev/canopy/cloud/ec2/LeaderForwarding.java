package dev.canopy.cloud.ec2;

import java.net.URI;
import java.util.Optional;

/**
 * Where a controller that does not lead sends leader-only EC2 calls (RunInstances, Stop, Start,
 * Terminate, ...): the lease holder's EC2 endpoint, so a client may talk to any controller. The
 * signed request goes as it came, Host header included, so the holder verifies the client's own
 * signature; a forwarded call is never forwarded again.
 */
@FunctionalInterface
public interface LeaderForwarding {

  /** Marks a forwarded request; a controller that gets one and does not lead answers 503 itself. */
  String FORWARDED_HEADER = "x-canopy-forwarded-by";

  /** The holder's EC2 base URL, when another controller holds the lease and its endpoint is known. */
  Optional<URI> leaderEndpoint();

  /** Never forwards: the cloud in a box is its own leader. */
  LeaderForwarding NONE = Optional::empty;
}
