package dev.canopy.cloud.grid;

/** Names of the grid maps; each is also the durable namespace its records are stored under. */
public final class GridMaps {
  public static final String ACCOUNTS = "accounts";
  public static final String ACCOUNT_NAMES = "account-names";
  public static final String ACCESS_KEYS = "access-keys";
  public static final String BUCKETS = "buckets";

  private GridMaps() {}
}
