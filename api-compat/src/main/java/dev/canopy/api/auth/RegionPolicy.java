package dev.canopy.api.auth;

/**
 * Which region a credential scope may name. Tools built for AWS (rclone, s3cmd, restic, an SDK
 * with no region configured) sign for {@code us-east-1} whatever the endpoint: a private cloud
 * with one region loses nothing by accepting them, since the signature is still verified with the
 * key derived for the region the client named. {@link #EXACT} is AWS's own behaviour.
 */
public enum RegionPolicy {
  /** Only the endpoint's own region; any other is refused as AWS refuses it. */
  EXACT,
  /** Any region name; the signature is computed with the scope's region. */
  ANY;

  /** The policy a setting named {@code regionStrict} selects. */
  public static RegionPolicy strict(boolean strict) {
    return strict ? EXACT : ANY;
  }
}
