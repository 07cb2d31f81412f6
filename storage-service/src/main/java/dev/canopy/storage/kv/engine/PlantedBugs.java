package dev.canopy.storage.kv.engine;

/**
 * Faults the simulator must be able to find, switched on only by tests (package-private, all
 * off in production): each breaks one promise the engine makes, and a test shows the simulator
 * fails with it on.
 */
final class PlantedBugs {
  /** Reads answer but never write the merged object back to stale or missing replicas. */
  volatile boolean skipReadRepair;
  /** A replica asked to sync says it did but writes without sync (lost in a machine crash). */
  volatile boolean ackBeforeSync;
  /** A fallback drops the data it holds for a primary instead of handing it back. */
  volatile boolean dropHint;
  /** Anti-entropy exchanges trees and finds the differing keys but repairs none of them. */
  volatile boolean skipAntiEntropyRepair;
}
