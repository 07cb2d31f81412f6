package dev.canopy.cloud.compute;

/** A security group an instance is in, as {@code groupSet/item} renders it. */
public record GroupRef(String groupId, String groupName) {}
