package dev.canopy.storage.kv.ring;

/** A partition whose owner changes with a ring change: handoff copies it from {@code from} to {@code to}. */
public record PartitionMove(int partition, String from, String to) {}
