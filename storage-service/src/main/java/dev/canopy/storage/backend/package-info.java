/**
 * The object store's domain: the {@link dev.canopy.storage.backend.ObjectBackend} contract the S3
 * API calls, the records it exchanges, and the S3 rules that need no storage engine and no HTTP
 * (listing with delimiters and pagination, byte ranges, multipart validation and ETags). Nothing
 * here imports RocksDB or Vert.x, so every rule is unit-testable on plain collections.
 */
package dev.canopy.storage.backend;
