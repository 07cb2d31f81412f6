package dev.canopy.cloud.events;

/** The kinds of events the log holds; the names are what the API and the console show. */
public final class EventTypes {

  public static final String INSTANCE_STATE = "instance.state";
  public static final String ACCOUNT_CREATED = "account.created";
  public static final String ACCOUNT_DISABLED = "account.disabled";
  public static final String ACCOUNT_ENABLED = "account.enabled";
  public static final String ACCOUNT_DELETED = "account.deleted";
  public static final String KEY_CREATED = "key.created";
  public static final String KEY_DEACTIVATED = "key.deactivated";
  public static final String KEY_DELETED = "key.deleted";
  public static final String NODE_ENROLLED = "node.enrolled";
  public static final String NODE_LOST = "node.lost";
  public static final String NODE_BACK = "node.back";
  public static final String LEASE_HOLDER = "lease.holder";

  private EventTypes() {}
}
