package dev.canopy.cloud.agents;

import java.time.Instant;

/**
 * An enrollment token as the grid keeps it: only the SHA-256 of its secret.
 *
 * @param usedAt when it was redeemed; null while unused
 */
public record TokenRecord(String id, String secretSha256, Instant createdAt, Instant expiresAt, Instant usedAt) {

  TokenRecord burned(Instant at) {
    return new TokenRecord(id, secretSha256, createdAt, expiresAt, at);
  }
}
