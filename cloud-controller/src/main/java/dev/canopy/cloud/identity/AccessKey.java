package dev.canopy.cloud.identity;

import java.time.Instant;

/**
 * An access key as stored: the secret is sealed with the master key (SigV4 needs the plaintext
 * to recompute signatures, so it cannot be hashed).
 *
 * @param status {@code Active} or {@code Inactive} as IAM names them; a key stored before keys had a
 *     status (null) is active
 */
public record AccessKey(String accessKeyId, String accountId, String sealedSecret, Instant createdAt, String status) {

  public static final String ACTIVE = "Active";
  public static final String INACTIVE = "Inactive";

  /** An active key. */
  public AccessKey(String accessKeyId, String accountId, String sealedSecret, Instant createdAt) {
    this(accessKeyId, accountId, sealedSecret, createdAt, ACTIVE);
  }

  public boolean active() {
    return status == null || ACTIVE.equals(status);
  }

  AccessKey deactivated() {
    return new AccessKey(accessKeyId, accountId, sealedSecret, createdAt, INACTIVE);
  }

  @Override
  public String toString() {
    return "AccessKey[" + accessKeyId + ", account=" + accountId + ", " + (active() ? ACTIVE : INACTIVE) + "]";
  }
}
