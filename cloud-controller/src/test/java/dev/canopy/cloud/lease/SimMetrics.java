package dev.canopy.cloud.lease;

import dev.canopy.cloud.lease.Effects.BecameHolder;
import dev.canopy.cloud.lease.Effects.HolderEvent;
import java.util.ArrayList;
import java.util.List;

/** What one run measured: leader availability, message counts, and every holder change. */
final class SimMetrics {

  /** One holder change, in simulated real time. */
  record HolderRecord(long atNanos, int node, HolderEvent event) {}

  final List<HolderRecord> history = new ArrayList<>();
  long leaderNanos;
  long totalNanos;
  long freshAcquisitions;
  long renewals;
  long releases;
  long messagesSent;
  long leaseMessagesSent;
  long events;
  long traceHash;

  void advance(long elapsedNanos, boolean leaderPresent) {
    totalNanos += elapsedNanos;
    if (leaderPresent) {
      leaderNanos += elapsedNanos;
    }
  }

  void countSend(LeaseMessage message, int copies) {
    leaseMessagesSent += copies;
  }

  void onHolderEvent(long atNanos, int node, HolderEvent event) {
    history.add(new HolderRecord(atNanos, node, event));
    if (event instanceof BecameHolder became) {
      if (became.freshAcquisition()) {
        freshAcquisitions++;
      } else {
        renewals++;
      }
    }
  }

  double leaderFraction() {
    return totalNanos == 0 ? 0 : (double) leaderNanos / totalNanos;
  }
}
