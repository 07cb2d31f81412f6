package dev.canopy.cloud.identity;

/** Reserves an account name cloud-wide; names are unique, ids are what resources reference. */
public record AccountName(String name, String accountId) {}
