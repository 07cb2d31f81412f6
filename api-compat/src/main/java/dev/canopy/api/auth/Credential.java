package dev.canopy.api.auth;

/**
 * An access key with its secret and the account that owns it. The secret is plaintext in memory
 * only: SigV4 needs it to recompute signatures, so it is encrypted (not hashed) at rest.
 */
public record Credential(String accessKeyId, String secretAccessKey, String accountId) {
  @Override
  public String toString() {
    // Never let a secret reach a log line through string concatenation.
    return "Credential[" + accessKeyId + ", account " + accountId + "]";
  }
}
