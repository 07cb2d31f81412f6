package dev.canopy.cloud.identity;

import java.time.Instant;

/** A tenant: owns resources; its access keys sign requests. Ids are 12 digits, as on AWS. */
public record Account(String id, String name, Instant createdAt) {}
