package dev.canopy.cloud.grid;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.RetryableException;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.canopy.api.error.Unavailable;
import java.util.function.Supplier;

/**
 * This controller's grid member cannot serve a map operation for now: it is stopping or stopped,
 * it sees no majority of the controllers, or the partition's owner is moving or gone. The cause is
 * Hazelcast's own exception. Clients get 503 ServiceUnavailable ({@link Unavailable}); another
 * controller, or this one a little later, may serve the same request.
 */
public final class GridUnavailableException extends RuntimeException implements Unavailable {

  /** Causes are a few deep; the bound only keeps a cyclic chain from looping. */
  private static final int CAUSE_DEPTH_MAX = 8;

  private GridUnavailableException(String operation, RuntimeException cause) {
    super(operation + ": this controller's grid member cannot serve it now (" + cause.getClass().getSimpleName() + ")", cause);
  }

  /** Runs a grid call, turning Hazelcast's "cannot serve now" into this exception and leaving anything else alone. */
  public static <R> R guard(String operation, Supplier<R> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw translate(operation, e);
    }
  }

  /** {@code e} as this exception when Hazelcast refused for want of a serving member, else {@code e} itself. */
  public static RuntimeException translate(String operation, RuntimeException e) {
    Throwable cause = e;
    for (int depth = 0; cause != null && depth < CAUSE_DEPTH_MAX; depth++) {
      if (cause instanceof HazelcastInstanceNotActiveException || cause instanceof SplitBrainProtectionException
          || cause instanceof OperationTimeoutException || cause instanceof RetryableException) {
        return new GridUnavailableException(operation, e);
      }
      cause = cause.getCause();
    }
    return e;
  }
}
