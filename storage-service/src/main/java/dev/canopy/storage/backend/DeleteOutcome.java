package dev.canopy.storage.backend;

/** The result for one key of a multi-object delete; {@code error} is null on success. */
public record DeleteOutcome(String key, dev.canopy.api.error.AwsException error) {}
