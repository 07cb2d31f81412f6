package dev.canopy.storage.s3;

import java.time.Instant;

/** A bucket's entry in the cloud-wide bucket registry (names are global, as on AWS). */
public record BucketRecord(String name, String ownerAccountId, Instant createdAt, String region) {}
