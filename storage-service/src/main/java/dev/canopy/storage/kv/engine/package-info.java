/**
 * The replication engine: one {@link dev.canopy.storage.kv.engine.KvNode} per storage node serves
 * {@link dev.canopy.storage.kv.KvService} to clients and answers its peers' requests, reaching
 * them only through {@link dev.canopy.storage.kv.PeerTransport} and storing only through {@link
 * dev.canopy.storage.kv.backend.KvBackend}. Pure domain: time and randomness are injected, nothing
 * runs on its own thread or timer.
 *
 * <ul>
 *   <li>Vnodes ({@code Vnode}): one per partition with data on this node; a record is the key's
 *       {@code CausalObject} as bytes. A vnode's actor is fresh per incarnation.
 *   <li>Writes ({@code PutCoordinator}): the first replica of the preference list (this node if
 *       it is one) coordinates (new dot), the others merge its object; w counts receipts, dw
 *       replicas whose backend put with sync returned, pw primaries among the receipts.
 *   <li>Reads ({@code GetCoordinator}): r answers (pr primaries) merged; after the last answer,
 *       read repair of stale or missing replicas, or the reap of a tombstone all N primaries
 *       hold (Riak's delete_mode immediate). A tombstone another replica missed stays until a
 *       read sees it everywhere; a value a fallback still holds can come back after a reap, as in
 *       Riak.
 *   <li>Listing ({@code ListCoordinator}, {@code RangeScan}, {@code PageMerge}, {@code
 *       Reconcile}): a page of a bucket as a coverage query, r replicas of every partition each
 *       sending their first keys in UTF-8 order (tombstones included), merged as a GET merges;
 *       the page ends where the first replica answer that stopped early ends. No read repair.
 *   <li>Sloppy quorum and handoff ({@code Handoff}): a fallback stores a write in the vnode of
 *       the partition it stands in for; holding a partition one does not own is the hint. {@link
 *       dev.canopy.storage.kv.engine.KvNode#tick} hands every such partition to its owner once
 *       the owner answers (fold, batches merged and synced there, a last unchanged check, drop).
 *       The same path performs ownership handoff after a join or leave: the new ring is adopted
 *       at once, the old owner keeps the data until it has handed it over, and the new owner
 *       reads through to it meanwhile ({@code ReadThrough}).
 *   <li>Bucket properties live in the ring's metadata, so every node reads them locally; a
 *       change makes a new ring version, sent to every member and gossiped by {@code tick}.
 *   <li>Messages ({@code Message}, {@code MessageCodec}): records with a versioned binary form,
 *       carried as byte arrays.
 *   <li>Active anti-entropy ({@code AntiEntropy}, {@code TreeExchange}, {@code PeerTree},
 *       {@code VnodeTrees}, {@code TreeId}): each vnode keeps a {@code kv.aae} hash tree per
 *       preference list it holds keys of, built by a fold at the first exchange and updated by
 *       every store and reap; {@code tick} starts at most one exchange at a time, walking every
 *       (owned partition, preference list, other partition of it) once per {@link
 *       dev.canopy.storage.kv.engine.AntiEntropySettings#roundPeriod}; each differing key is
 *       read on both sides, merged and written back where it differs.
 *   <li>The older seam for anti-entropy stays: {@link
 *       dev.canopy.storage.kv.engine.KvNode#foldPartitionHashes} and {@link
 *       dev.canopy.storage.kv.engine.KvNode#repairKey}.
 *   <li>{@code KvCounters}: the node's totals since it started (requests it coordinated and
 *       their failures, replica requests served for peers, read repairs, superseding puts),
 *       counted once and read by both {@code /stats} and the storage process's {@code /metrics}.
 *   <li>{@code PlantedBugs}: test-only faults (skip read repair, ack before sync, drop a hint,
 *       skip anti-entropy repair), all off in production, that the simulator must catch.
 * </ul>
 */
package dev.canopy.storage.kv.engine;
