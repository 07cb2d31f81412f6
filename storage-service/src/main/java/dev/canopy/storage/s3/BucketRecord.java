package dev.canopy.storage.s3;

import java.time.Instant;

/**
 * A bucket's entry in the cloud-wide bucket registry (names are global, as on AWS).
 *
 * @param id the bucket's immutable identity, drawn at CreateBucket ({@link BucketIds}): the
 *     namespace its objects and uploads live under in the {@link dev.canopy.storage.backend.ObjectBackend}.
 *     A name can be deleted and taken again, by another account; an id never names two buckets, so
 *     a PUT that was streaming into the old bucket, or an image registered from it, can never reach
 *     the new one. Records stored before buckets had ids read with {@code id = name}, where their
 *     objects already are.
 */
public record BucketRecord(String name, String ownerAccountId, Instant createdAt, String region, String id) {

  public BucketRecord {
    id = id == null ? name : id;
  }

  /** A record as stored before buckets had ids: its objects live under its name. */
  public BucketRecord(String name, String ownerAccountId, Instant createdAt, String region) {
    this(name, ownerAccountId, createdAt, region, name);
  }
}
