package dev.canopy.storage.kv.engine;

/** Every bound of a listing ({@link KvNode#listPage}), here and nowhere else. */
final class ListLimits {

  /**
   * Keys in one page, whatever the caller asks: S3 asks at most 1,000. Each replica asked sends up
   * to this many records, so it bounds what a page holds in memory and carries.
   */
  static final int PAGE_KEYS_MAX = 10_000;

  /**
   * Record bytes in one replica's answer: past it the answer ends early (and says so), staying
   * well under the peer transport's 8 MiB answer bound however large the bucket's values are.
   */
  static final int REPLY_BYTES_MAX = 4 * 1024 * 1024;

  /**
   * Replica asks a coordinator has in flight at once: enough to keep every node busy on a ring of
   * 64 or more partitions, few enough not to queue a peer's connections behind one listing.
   */
  static final int ASKS_IN_FLIGHT_MAX = 16;

  private ListLimits() {}
}
