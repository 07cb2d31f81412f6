package dev.canopy.cloud.compute;

/** EC2's {@code instanceInitiatedShutdownBehavior}: what a guest's own shutdown leads to. */
public enum ShutdownBehavior {
  /** The instance is stopped; its domain and reservation stay on the node. */
  STOP("stop"),
  /** The instance is terminated; its domain is destroyed and its capacity released. */
  TERMINATE("terminate");

  private final String wireName;

  ShutdownBehavior(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The behaviour whose wire name is {@code name}, or null. */
  public static ShutdownBehavior byWireName(String name) {
    for (ShutdownBehavior b : values()) {
      if (b.wireName.equals(name)) {
        return b;
      }
    }
    return null;
  }
}
