package dev.canopy.cloud.ec2;

import dev.canopy.api.auth.Principal;
import dev.canopy.cloud.limits.LimitErrors;
import dev.canopy.core.limits.TokenBuckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The EC2 endpoint's request rate limit, applied to each authenticated request before its
 * action runs. Refusals are {@code RequestLimitExceeded} (HTTP 503), which the SDKs and the CLI
 * treat as throttling: they back off and retry.
 */
@FunctionalInterface
public interface Ec2Throttle {

  /** Name of the counter of refused requests, tagged {@code account}. */
  String THROTTLED_METRIC = "canopy.ec2.throttled";

  /** No rate limit. */
  Ec2Throttle NONE = principal -> {};

  /** @throws dev.canopy.api.error.AwsException RequestLimitExceeded when the principal's account is over its rate */
  void admit(Principal principal);

  /**
   * One token bucket per account (not per access key: an account's keys share its rate, as on
   * AWS). Each refusal counts in {@link #THROTTLED_METRIC}, tagged by account id: a private
   * cloud has few accounts, and the bucket map's bound caps how many are active at once, so
   * the tag's cardinality stays that of the account table.
   */
  static Ec2Throttle perAccount(TokenBuckets buckets, MeterRegistry meters) {
    return principal -> {
      if (!buckets.tryTake(principal.accountId())) {
        Counter.builder(THROTTLED_METRIC)
            .description("EC2 requests refused with RequestLimitExceeded")
            .tag("account", principal.accountId())
            .register(meters)
            .increment();
        throw LimitErrors.requestLimitExceeded();
      }
    };
  }
}
