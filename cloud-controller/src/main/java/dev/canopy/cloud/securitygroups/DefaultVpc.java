package dev.canopy.cloud.securitygroups;

/** The one VPC id an account has, created with its default group on first use. */
public record DefaultVpc(String accountId, String vpcId) {}
