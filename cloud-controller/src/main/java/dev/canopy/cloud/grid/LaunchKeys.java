package dev.canopy.cloud.grid;

/**
 * An instance's launch key: its owner, then its place in every listing of the owner's instances
 * (launch time, reservation, launch index, instance id), as one text whose order is launch order
 * within an owner. The grid keeps a sorted index on it ({@link GridIndexes}, attribute {@link
 * IndexedAttributes#LAUNCH_KEY}), so a page asks for the keys of one owner after its cursor; the
 * owner comes first, so such a range never reaches another account's instances. Built in one place
 * for the index's extractor and for the domain's cursors, so the two can never disagree.
 */
public final class LaunchKeys {

  /** Between the owner and the listing key: below every character of an account id. */
  public static final char OWNER_SEPARATOR = '/';
  /** Above every character a listing key holds: the end of an owner's range. */
  public static final char OWNER_END = '\uffff';

  private LaunchKeys() {}

  /**
   * The listing key alone (what a NextToken carries): zero-padded so that text order is launch
   * order. Built without String.format, which costs microseconds a call on a path that sorts
   * thousands.
   */
  public static String listingKey(long launchTimeMs, String reservationId, int launchIndex, String instanceId) {
    StringBuilder key = new StringBuilder(64);
    pad(key, Long.toString(launchTimeMs), 20);
    key.append('|').append(reservationId).append('|');
    pad(key, Integer.toString(launchIndex), 5);
    return key.append('|').append(instanceId).toString();
  }

  /** The indexed value: the owner, then the listing key. */
  public static String of(String ownerId, String listingKey) {
    return ownerId + OWNER_SEPARATOR + listingKey;
  }

  /** The first value of the owner's range, before any of its instances. */
  public static String ownerStart(String ownerId) {
    return ownerId + OWNER_SEPARATOR;
  }

  /** Past the last value of the owner's range. */
  public static String ownerEnd(String ownerId) {
    return ownerId + OWNER_SEPARATOR + OWNER_END;
  }

  private static void pad(StringBuilder to, String digits, int width) {
    to.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
  }
}
