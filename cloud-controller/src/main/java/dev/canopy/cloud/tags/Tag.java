package dev.canopy.cloud.tags;

/** One tag on one resource of one account. */
public record Tag(String accountId, String resourceId, String resourceType, String key, String value) {}
