/**
 * Durable storage on one machine's disk, in RocksDB: {@link dev.canopy.storage.local.LocalStore}
 * opens the database (one column family per kind of record) and serves the control plane's
 * {@link dev.canopy.storage.local.SystemStore}; {@link dev.canopy.storage.local.RocksObjectBackend}
 * keeps S3 objects in it. These are adapters: the rules they apply live in
 * {@code dev.canopy.storage.backend}.
 */
package dev.canopy.storage.local;
