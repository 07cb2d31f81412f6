package dev.canopy.cloud.securitygroups;

/** Claims a group name in an account's VPC: putIfAbsent on it makes names unique atomically. */
public record GroupNameClaim(String accountId, String vpcId, String groupId) {}
