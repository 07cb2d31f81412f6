package dev.canopy.cloud.consolelogin;

import java.time.Instant;

/**
 * A console session as the grid keeps it, under the SHA-256 of its token ({@code id}): the token
 * itself is only ever in the browser's cookie, so the grid and the store hold nothing a reader
 * could log in with.
 *
 * @param csrfToken what state-changing calls must echo in a header (the double-submit pattern)
 */
public record ConsoleSession(String id, String accountId, Instant createdAt, Instant lastSeenAt, String csrfToken) {

  boolean expired(Instant now, SessionLimits limits) {
    return !now.isBefore(createdAt.plus(limits.absolute())) || !now.isBefore(lastSeenAt.plus(limits.idle()));
  }

  public Instant expiresAt(SessionLimits limits) {
    Instant idleEnd = lastSeenAt.plus(limits.idle());
    Instant absoluteEnd = createdAt.plus(limits.absolute());
    return idleEnd.isBefore(absoluteEnd) ? idleEnd : absoluteEnd;
  }

  @Override
  public String toString() {
    return "ConsoleSession[account=" + accountId + ", createdAt=" + createdAt + "]";
  }
}
