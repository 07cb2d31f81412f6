package dev.canopy.storage.kv.ring;

import java.util.List;

/** What a join or leave makes: the next ring and the partitions handoff must move to get there. */
public record RingChange(Ring ring, List<PartitionMove> moves) {
  public RingChange {
    moves = List.copyOf(moves);
  }
}
