package dev.canopy.cloud.identity;

import java.time.Instant;

/**
 * An access key as stored: the secret is sealed with the master key (SigV4 needs the plaintext
 * to recompute signatures, so it cannot be hashed).
 */
public record AccessKey(String accessKeyId, String accountId, String sealedSecret, Instant createdAt) {}
