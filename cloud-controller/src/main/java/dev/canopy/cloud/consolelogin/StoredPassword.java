package dev.canopy.cloud.consolelogin;

import java.time.Instant;

/** An account's console password as the grid keeps it: the Argon2id hash only, and when it was set. */
public record StoredPassword(String hash, Instant setAt) {

  @Override
  public String toString() {
    return "StoredPassword[setAt=" + setAt + "]";
  }
}
