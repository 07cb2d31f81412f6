/**
 * Causality of a key's values: dotted version vectors in the style of Riak 2.0's "DVV" objects.
 * A replica's state ({@link dev.canopy.storage.kv.causality.CausalObject}) is a clock (a version
 * vector of what it has seen) and siblings, each tagged with the {@link
 * dev.canopy.storage.kv.causality.Dot} of the write that made it.
 *
 * <p>Why dots rather than plain vector clocks: with a plain clock per object, two clients writing
 * through the same coordinator with stale contexts make the clock grow as their values pile up
 * (Riak's "sibling explosion"); a dot per value says exactly which values a context saw, so a
 * write replaces exactly those and keeps every concurrent one.
 *
 * <p>Actors are vnode incarnations, not clients and not bare node names: each vnode, when it
 * starts (a process start, or after its partition was handed off and dropped), takes a fresh
 * random 64-bit actor id from the node's injected randomness and counts its dots in memory. A
 * dot is therefore never issued twice, even when a crash loses unsynced writes or a handoff
 * empties a partition: the usual way vector clocks with per-node actors lose writes (reusing a
 * counter the node forgot) cannot happen. The price is an entry per incarnation that coordinated a
 * write to the key; nothing is pruned (pruning a clock can resurrect or lose values), and a
 * context is bounded to {@link dev.canopy.storage.kv.causality.ContextCodec#ACTORS_MAX} entries.
 *
 * <p>Operations: {@code update} (a coordinated write with the client's context), {@code merge}
 * (replica sync: commutative, associative, idempotent), {@code descends}, {@code lastWriteWins}
 * (buckets without allow_mult: newest timestamp, then vtag, then dot). Tombstones are siblings
 * whose content is deleted; the engine reaps them. Contexts travel as opaque, versioned,
 * checksummed bytes ({@link dev.canopy.storage.kv.causality.ContextCodec}); replica states as
 * records ({@link dev.canopy.storage.kv.causality.CausalObjectCodec}).
 */
package dev.canopy.storage.kv.causality;
