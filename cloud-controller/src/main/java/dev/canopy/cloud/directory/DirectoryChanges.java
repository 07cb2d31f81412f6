package dev.canopy.cloud.directory;

/**
 * Counters that move whenever what the directory serves changes, so storage nodes can drop
 * their caches: {@link #credentials()} on any write or removal of an access key or account (a
 * key works only while its account exists), {@link #buckets()} on any write or removal of a
 * bucket record. Only movement matters, not the values.
 */
public interface DirectoryChanges {

  long credentials();

  long buckets();
}
