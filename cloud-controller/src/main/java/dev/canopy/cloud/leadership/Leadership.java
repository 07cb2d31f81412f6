package dev.canopy.cloud.leadership;

/** Whether this controller may place and command, and under which epoch. */
public interface Leadership {

  boolean isLeader();

  /** The epoch stamped on every placement and command; grows with each new leader. */
  long epoch();

  /** A controller that always leads under epoch 1: for tests of what it gates, never wired in a process. */
  static Leadership single() {
    return new Leadership() {
      @Override
      public boolean isLeader() {
        return true;
      }

      @Override
      public long epoch() {
        return 1;
      }
    };
  }
}
