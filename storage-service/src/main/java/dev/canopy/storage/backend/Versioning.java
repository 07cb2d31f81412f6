package dev.canopy.storage.backend;

/**
 * A bucket's versioning state as writes obey it. A bucket starts {@link #UNVERSIONED} and, once
 * versioning was enabled, only moves between {@link #ENABLED} and {@link #SUSPENDED} (S3 never
 * lets a bucket go back).
 */
public enum Versioning {
  /** Never enabled: a write replaces the key's only version, which has no id. */
  UNVERSIONED,
  /** Every write adds a version with a fresh id; a delete adds a delete marker. */
  ENABLED,
  /** Writes and deletes replace the key's {@code null} version; versions with ids stay. */
  SUSPENDED;

  /** The bucket configuration document that holds the state ({@code Enabled} or {@code Suspended}). */
  public static final String DOCUMENT = "versioning";

  /** The state a bucket's stored document (null: none) means. */
  public static Versioning ofDocument(String document) {
    if (document == null) {
      return UNVERSIONED;
    }
    return document.equals("Enabled") ? ENABLED : SUSPENDED;
  }
}
