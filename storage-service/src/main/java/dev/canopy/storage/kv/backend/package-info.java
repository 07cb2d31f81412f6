/**
 * Where a storage node keeps its replicas: one {@link
 * dev.canopy.storage.kv.backend.KvBackend} per node, holding each ring partition's keys apart so
 * that a partition can be folded over (anti-entropy, handoff) and dropped (after handing it off)
 * without touching the others. RocksDB is the default ({@link
 * dev.canopy.storage.kv.backend.RocksBackend}: partitions as 4-byte big-endian key prefixes in one
 * database, synced writes sharing fsyncs through RocksDB's group commit); memory is for the
 * simulator and tests ({@link dev.canopy.storage.kv.backend.MemoryBackend}, whose {@code crash()}
 * loses exactly what was not synced).
 */
package dev.canopy.storage.kv.backend;
