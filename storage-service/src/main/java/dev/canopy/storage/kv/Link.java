package dev.canopy.storage.kv;

/** A Riak link from one object to another, tagged; carried in the {@code Link} header. */
public record Link(String bucket, String key, String tag) {}
