/**
 * {@link dev.canopy.core.cache.ExpiringCache}: a bounded read-through cache whose found answers
 * and misses expire on the injected {@link dev.canopy.core.time.Time}, for lookups that a change
 * elsewhere (a deleted key, a bucket's new policy) must stop serving within a stated time.
 */
package dev.canopy.core.cache;
