package dev.canopy.cloud.keypairs;

import java.time.Instant;

/**
 * A stored key pair: never the private key.
 *
 * @param keyType {@code rsa} or {@code ed25519}, as EC2 names them
 * @param fingerprint as AWS shows it (see {@link SshKeys})
 * @param publicKey the OpenSSH public key line ({@code ssh-ed25519 AAAA... name}) for guests
 */
public record KeyPair(
    String accountId, String keyPairId, String keyName, String keyType, String fingerprint, String publicKey, Instant createTime) {}
