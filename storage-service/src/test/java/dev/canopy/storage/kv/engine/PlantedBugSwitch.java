package dev.canopy.storage.kv.engine;

/** Lets the simulator (another test package) switch on the engine's planted bugs. */
public enum PlantedBugSwitch {
  SKIP_READ_REPAIR,
  ACK_BEFORE_SYNC,
  DROP_HINT,
  SKIP_ANTI_ENTROPY_REPAIR;

  public void plantIn(KvNode node) {
    switch (this) {
      case SKIP_READ_REPAIR -> node.bugs().skipReadRepair = true;
      case ACK_BEFORE_SYNC -> node.bugs().ackBeforeSync = true;
      case DROP_HINT -> node.bugs().dropHint = true;
      case SKIP_ANTI_ENTROPY_REPAIR -> node.bugs().skipAntiEntropyRepair = true;
    }
  }
}
