package dev.canopy.cloud.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.cloud.compute.LaunchQuota.Usage;
import org.junit.jupiter.api.Test;

/** The quota arithmetic of {@link Quotas} and {@link ResourceQuota}, and {@link AccountLimits}' checks. */
class QuotaLimitsTest {

  private static final AccountLimits LIMITS = new AccountLimits(5, 8, 3, 2, 10, 20);

  private static int allowed(int instances, int vcpus, int min, int max, int vcpusEach) {
    return Quotas.allowedLaunches(LIMITS, new Usage(instances, vcpus), min, max, vcpusEach);
  }

  private static void refused(Runnable call, String code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.httpStatus()).isEqualTo(400);
      assertThat(e.getMessage()).startsWith(message);
    });
  }

  @Test
  void launchesUpToMaxCountWhenEverythingFits() {
    assertThat(allowed(0, 0, 1, 3, 2)).isEqualTo(3);
    assertThat(allowed(0, 0, 4, 4, 2)).isEqualTo(4);
  }

  @Test
  void lowersMaxCountToWhatTheQuotasAllowWhenMinCountStillFits() {
    assertThat(allowed(3, 0, 1, 10, 1)).as("instances bind").isEqualTo(2);
    assertThat(allowed(0, 4, 1, 10, 2)).as("vCPUs bind: (8 - 4) / 2").isEqualTo(2);
    assertThat(allowed(4, 0, 1, 1, 2)).isEqualTo(1);
  }

  @Test
  void refusesWhenFewerThanMinCountFit() {
    refused(() -> allowed(4, 0, 2, 5, 1), "InstanceLimitExceeded",
        "You have requested more instances (6) than your current instance limit of 5 allows for the specified instance type.");
    refused(() -> allowed(0, 6, 2, 2, 2), "VcpuLimitExceeded",
        "You have requested more vCPU capacity than your current vCPU limit of 8 allows");
    refused(() -> allowed(5, 0, 1, 1, 1), "InstanceLimitExceeded", "You have requested more instances (6)");
  }

  @Test
  void theInstanceLimitIsReportedBeforeTheVcpuLimit() {
    refused(() -> allowed(5, 8, 1, 1, 4), "InstanceLimitExceeded", "You have requested more instances");
  }

  @Test
  void usageAboveLoweredLimitsAllowsNothingAndNeverANegative() {
    refused(() -> allowed(50, 0, 1, 1, 1), "InstanceLimitExceeded", "You have requested more instances (51) than your current instance limit of 5");
    refused(() -> allowed(0, 100, 1, 1, 1), "VcpuLimitExceeded", "You have requested more vCPU capacity");
  }

  @Test
  void resourceQuotasCountToTheLimitInclusive() {
    Quotas quotas = new Quotas(LIMITS);
    assertThat(quotas.keyPairs().allowsOneMore(2)).isTrue();
    assertThat(quotas.keyPairs().allowsOneMore(3)).isFalse();
    assertThat(quotas.securityGroups().allowsOneMore(1)).isTrue();
    assertThat(quotas.securityGroups().allowsOneMore(2)).isFalse();
    assertThat(ResourceQuota.NONE.allowsOneMore(Integer.MAX_VALUE - 1)).isTrue();
    assertThat(ResourceQuota.NONE.isUnlimited()).isTrue();
  }

  @Test
  void limitsMustBePositive() {
    assertThat(AccountLimits.defaults()).isEqualTo(new AccountLimits(20, 64, 5000, 2500, 50, 100));
    assertThatThrownBy(() -> new AccountLimits(0, 1, 1, 1, 1, 1)).hasMessageContaining("instances");
    assertThatThrownBy(() -> new AccountLimits(1, 1, 1, 1, 1, -1)).hasMessageContaining("requestBurst");
    assertThatThrownBy(() -> new ResourceQuota(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requestLimitExceededIsA503() {
    AwsException e = LimitErrors.requestLimitExceeded();
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.code()).isEqualTo("RequestLimitExceeded");
    assertThat(e.getMessage()).isEqualTo("Request limit exceeded.");
  }
}
