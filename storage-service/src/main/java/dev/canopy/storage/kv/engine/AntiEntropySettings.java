package dev.canopy.storage.kv.engine;

import dev.canopy.storage.kv.aae.TreeShape;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node runs active anti-entropy.
 *
 * @param treeShape the shape of every hash tree; all nodes of a cluster must agree (an exchange
 *     with a peer whose trees are shaped otherwise stops before repairing anything)
 * @param roundPeriod how long a node takes to exchange every tree it keeps with every peer
 *     replica once: exchanges are spaced {@code roundPeriod / exchanges in a round} apart, at most
 *     one per {@link KvNode#tick()} and one at a time. Zero: one exchange every tick.
 */
public record AntiEntropySettings(TreeShape treeShape, Duration roundPeriod) {

  /** Riak exchanges each partition about once an hour; memory-held trees allow more often. */
  public static final Duration ROUND_PERIOD_DEFAULT = Duration.ofMinutes(10);

  public static final AntiEntropySettings DEFAULTS =
      new AntiEntropySettings(TreeShape.DEFAULT, ROUND_PERIOD_DEFAULT);

  public AntiEntropySettings {
    Objects.requireNonNull(treeShape, "treeShape");
    if (roundPeriod.isNegative()) {
      throw new IllegalArgumentException("an anti-entropy round period must not be negative: " + roundPeriod);
    }
  }
}
