package dev.canopy.storage.usage;

import java.time.Instant;
import java.util.List;

/** Where a storage node sends its buckets' counts: the controllers' directory. */
public interface UsageSink {

  /**
   * Stores the absolute counts of {@code hour} of this node's life {@code incarnation}, replacing
   * what an earlier push of the same hour and life said. Idempotent.
   *
   * @throws RuntimeException when no controller took them; the caller pushes again later
   */
  void push(String incarnation, Instant hour, List<BucketUsage> usage);
}
