/**
 * {@link dev.canopy.core.cache.ExpiringCache}: a bounded read-through cache whose found answers
 * and misses expire on the injected {@link dev.canopy.core.time.Time}, for lookups that a change
 * elsewhere (a deleted key, a bucket's new policy) must stop serving within a stated time.
 * {@link dev.canopy.core.cache.KeyedMemo}: the last result computed per key, reused while the key's
 * input is equal (a record's decoding while its stored text is unchanged), with nothing to
 * invalidate and a fixed bound on memory.
 */
package dev.canopy.core.cache;
