package dev.canopy.storage.kv;

import java.util.List;

/**
 * A node's view of itself and the ring, for {@code GET /stats} and {@code canopy status}: the
 * counters are totals since the process started, latencies in microseconds.
 */
public record KvStats(
    String node,
    List<String> ringMembers,
    int partitions,
    int partitionsOwned,
    long gets,
    long puts,
    long getP50Micros,
    long getP99Micros,
    long putP50Micros,
    long putP99Micros,
    long readRepairs,
    long handoffsCompleted,
    int handoffsPending,
    long aaeExchanges,
    long aaeKeysRepaired,
    /** Superseding puts written a second time, after a read, because a replica held a value the coordinator had not seen. */
    long supersedingRewrites) {}
