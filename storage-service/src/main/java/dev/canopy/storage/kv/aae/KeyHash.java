package dev.canopy.storage.kv.aae;

/** A key and the hash of the object stored under it, as a segment lists them in an exchange. */
public record KeyHash(KeyBytes key, long objectHash) {}
