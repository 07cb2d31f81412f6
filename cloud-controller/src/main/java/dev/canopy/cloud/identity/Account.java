package dev.canopy.cloud.identity;

import java.time.Instant;

/**
 * A tenant: owns resources; its access keys sign requests. Ids are 12 digits, as on AWS.
 *
 * @param disabled set by the operator: its keys are refused everywhere and its console logins and
 *     sessions end, but its instances and buckets stay as they are (records written before accounts
 *     could be disabled read as enabled)
 */
public record Account(String id, String name, Instant createdAt, boolean disabled) {

  /** An enabled account. */
  public Account(String id, String name, Instant createdAt) {
    this(id, name, createdAt, false);
  }

  Account withDisabled(boolean newDisabled) {
    return new Account(id, name, createdAt, newDisabled);
  }
}
