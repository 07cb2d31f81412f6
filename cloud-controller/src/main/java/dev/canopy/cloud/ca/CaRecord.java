package dev.canopy.cloud.ca;

import java.time.Instant;

/**
 * The CA as stored in the grid: its certificate and its private key sealed with the master key
 * (PKCS#8 DER, base64, then {@code SecretBox}).
 */
public record CaRecord(String certificatePem, String sealedPrivateKey, Instant createdAt) {

  @Override
  public String toString() {
    return "CaRecord[createdAt=" + createdAt + "]";
  }
}
