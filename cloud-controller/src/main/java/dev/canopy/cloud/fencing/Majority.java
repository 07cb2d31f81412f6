package dev.canopy.cloud.fencing;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.util.function.Supplier;

/** Runs a grid call and turns Hazelcast's split-brain refusal into {@link NoMajorityException}. */
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
      throw e;
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
