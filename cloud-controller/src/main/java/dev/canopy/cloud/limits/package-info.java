/**
 * Per-account limits: the quotas on what an account may hold (instances, vCPUs, key pairs,
 * security groups) and the request rate limit on the EC2 endpoint. Pure rules with time
 * injected: {@link dev.canopy.cloud.limits.AccountLimits} holds the numbers, {@link
 * dev.canopy.cloud.limits.Quotas} answers "may this account create more?", {@link
 * dev.canopy.core.limits.TokenBuckets} answers "may this account make a request now?", and
 * {@link dev.canopy.cloud.limits.LimitErrors} words the refusals as EC2 does. The families call
 * in through small hooks ({@link dev.canopy.cloud.compute.LaunchQuota}, {@link
 * dev.canopy.cloud.limits.ResourceQuota}); nothing here knows HTTP.
 */
package dev.canopy.cloud.limits;
