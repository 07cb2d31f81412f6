package dev.canopy.storage.s3.access;

/** What an ACL grant allows, as S3 names it; FULL_CONTROL implies the four others. */
public enum Permission {
  READ,
  WRITE,
  READ_ACP,
  WRITE_ACP,
  FULL_CONTROL;

  /** True when a grant of this permission covers {@code needed}. */
  public boolean covers(Permission needed) {
    return this == needed || this == FULL_CONTROL;
  }
}
