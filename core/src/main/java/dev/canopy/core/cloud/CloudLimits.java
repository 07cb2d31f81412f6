package dev.canopy.core.cloud;

/**
 * Limits that hold across modules, each defined once here so the controller's grid, its lease and
 * the node agent agree on them.
 */
public final class CloudLimits {

  /**
   * Controllers in one cloud. Hazelcast allows at most 6 synchronous backups and a cloud's backup
   * count is ⌊controllers/2⌋, so 13 is the most whose every write reaches a majority of copies.
   * The lease's ballots (8 bits of controller id) would allow more; an agent opens at most this
   * many controller sessions, whatever a controller's message lists.
   */
  public static final int CONTROLLERS_MAX = 13;

  /** Controller ids are 1..255: lease ballots keep 8 bits for them, and each has a grid alias 127.77.0.id. */
  public static final int CONTROLLER_ID_MIN = 1;
  public static final int CONTROLLER_ID_MAX = 255;

  private CloudLimits() {}
}
