package dev.canopy.cloud.scheduler;

/** Whether this controller may place and command, and under which epoch. */
public interface Leadership {

  boolean isLeader();

  /** The epoch stamped on every placement and command; grows with each new leader. */
  long epoch();

  /** One controller leads trivially, under epoch 1, until the leadership issue adds more. */
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
