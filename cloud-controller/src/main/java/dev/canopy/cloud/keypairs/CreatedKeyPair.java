package dev.canopy.cloud.keypairs;

/**
 * A key pair just created, with its private key: returned to the caller once, never stored.
 * {@code toString} leaves the private key out, so a log line cannot leak it.
 *
 * @param privateKeyPem PKCS#1 PEM for RSA, OpenSSH private key format for ed25519
 */
public record CreatedKeyPair(KeyPair keyPair, String privateKeyPem) {
  @Override
  public String toString() {
    return "CreatedKeyPair[" + keyPair + ", privateKeyPem=<redacted>]";
  }
}
