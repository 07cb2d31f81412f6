/**
 * Where a storage node keeps its replicas: one {@link
 * dev.canopy.storage.kv.backend.KvBackend} per node, holding each ring partition's keys apart so
 * that a partition can be folded over (anti-entropy, handoff) and dropped (after handing it off)
 * without touching the others. RocksDB is the default; memory is for the simulator and tests.
 */
package dev.canopy.storage.kv.backend;
