package dev.canopy.cloud.grid;

/**
 * The names of the attributes the grid indexes ({@link GridIndexes}), for domain code that asks
 * {@link Table#keysWhere}: each is a top-level field of the map's JSON records, and its values are
 * that field's text (an enum by name). Plain constants, so the domain names no Hazelcast type.
 */
public final class IndexedAttributes {

  /** Instances: the owning account, the state (enum name), the image launched; hash indexes. */
  public static final String INSTANCES_MAP = "instances";
  public static final String OWNER_ID = "ownerId";
  public static final String STATE = "state";
  public static final String IMAGE_ID = "imageId";
  /**
   * Instances: the owner and the listing key ({@link LaunchKeys}), in a sorted index, for ranges
   * ({@link Table#valuesInRange}). Not a field of the record: derived from several.
   */
  public static final String LAUNCH_KEY = "launchKey";
  /**
   * Instances: owner and state together, in a hash index. Not a field of the record, and not asked
   * for by the domain: the grid answers an owner-and-state lookup through it by itself.
   */
  public static final String OWNER_STATE = "ownerState";
  /** Tags: the account and each tag key together; like {@link #OWNER_STATE}, used by the grid itself. */
  public static final String ACCOUNT_TAG_KEYS = "accountTagKeys";
  /** Tags: the owning account and every tag key of the resource. */
  public static final String TAGS_MAP = "tags";
  public static final String ACCOUNT_ID = "accountId";
  public static final String TAG_KEYS = "tagKeys";

  private IndexedAttributes() {}
}
