package dev.canopy.cloud.fencing;

import dev.canopy.api.error.Unavailable;

/**
 * The grid refused an operation because this member's cluster lacks a majority of the
 * controllers (Hazelcast's split-brain protection). Nothing was written. The controller must stop
 * acting as holder: a majority elsewhere may have a newer holder. Retrying is pointless until
 * {@code Grid.hasMajority()} is true again. Clients get 503 ({@link Unavailable}): a controller of the
 * majority can serve them.
 */
public final class NoMajorityException extends RuntimeException implements Unavailable {

  NoMajorityException(String operation, RuntimeException cause) {
    super(operation + " refused: this controller's grid member does not see a majority of the controllers", cause);
  }
}
