package dev.canopy.cloud.ec2;

import dev.canopy.api.auth.Principal;
import dev.canopy.api.query.QueryParams;

/** One authenticated EC2 Query request: who sent it, its parameters, its request id. */
public record Ec2Request(Principal principal, QueryParams params, String requestId) {}
