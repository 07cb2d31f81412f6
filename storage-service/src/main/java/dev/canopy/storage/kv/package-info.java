/**
 * The replicated key-value store's contract, in the style of Riak: what the Riak HTTP interface,
 * the controllers' write-through and (later) S3 call, and the records they exchange. A {@link
 * dev.canopy.storage.kv.KvService} is served by a ring of storage nodes: each key lives on N
 * replicas chosen on a consistent-hash ring, reads and writes wait for per-request quorums
 * ({@link dev.canopy.storage.kv.Quorum}), and concurrent writes become siblings or resolve by
 * last-write-wins as the bucket's {@link dev.canopy.storage.kv.BucketProps} say.
 *
 * <p>Nothing here imports Vert.x or RocksDB: the engine lives in subpackages, the HTTP and peer
 * adapters at the edges.
 */
package dev.canopy.storage.kv;
