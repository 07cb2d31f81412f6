package dev.canopy.storage.backend;

import java.time.Instant;

/** One key of a listing. {@code etag} is unquoted. */
public record ObjectSummary(String key, long size, String etag, Instant lastModified) {}
