package dev.canopy.storage.backend;

/** One entry of a CompleteMultipartUpload part list as the client sent it. */
public record CompletedPart(int partNumber, String etag) {}
