package dev.canopy.storage.s3.access;

/** One entry of an access control list. */
public record Grant(Grantee grantee, Permission permission) {}
