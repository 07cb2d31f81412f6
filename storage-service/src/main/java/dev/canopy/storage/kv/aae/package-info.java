/**
 * Active anti-entropy's hash trees, as in Riak: one {@link dev.canopy.storage.kv.aae.HashTree}
 * per partition replica, kept up to date by the write path ({@code insert}, {@code delete}) and
 * rebuilt from the backend at start ({@code HashTree.build}); an {@link
 * dev.canopy.storage.kv.aae.Exchange} compares two replicas' trees level by level through the
 * {@link dev.canopy.storage.kv.aae.RemoteTree} questions (hashes of some nodes of a level, keys
 * of some segments), so replicas that differ in k keys exchange data in proportion to k, and
 * returns the keys to repair; {@link dev.canopy.storage.kv.aae.AsyncRemoteTree} is the form of a
 * tree asked over the network ({@code Exchange.runAsync}). Keeping the trees per vnode,
 * scheduling exchanges, asking a peer and repairing the keys belong to the engine.
 *
 * <p>Pure domain: no RocksDB, no Vert.x, no clock, no randomness.
 */
package dev.canopy.storage.kv.aae;
