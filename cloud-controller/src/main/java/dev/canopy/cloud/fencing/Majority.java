package dev.canopy.cloud.fencing;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.canopy.cloud.grid.GridUnavailableException;
import java.util.function.Supplier;

/**
 * Runs a grid call and turns Hazelcast's split-brain refusal into {@link NoMajorityException}, and
 * its other "cannot serve now" refusals (a stopping member, moving partitions) into {@link
 * GridUnavailableException}.
 */
final class Majority {

  /** Causes are a few deep at most; the bound only keeps a cyclic chain from looping. */
  private static final int CAUSE_DEPTH_MAX = 8;

  private Majority() {}

  static <R> R require(String operation, Supplier<R> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (refusedForMinority(e)) {
        throw new NoMajorityException(operation, e);
      }
      throw GridUnavailableException.translate(operation, e);
    }
  }

  private static boolean refusedForMinority(Throwable e) {
    Throwable cause = e;
    for (int depth = 0; cause != null && depth < CAUSE_DEPTH_MAX; depth++) {
      if (cause instanceof SplitBrainProtectionException) {
        return true;
      }
      cause = cause.getCause();
    }
    return false;
  }
}
