package dev.canopy.cloud.compute;

import java.time.Instant;

/** Counts what an account holds against its launch quota: a scan of the account's instances. */
final class AccountUsage {

  private AccountUsage() {}

  static LaunchQuota.Usage of(InstanceStore store, InstanceTypes types, String accountId, Instant now) {
    int instances = 0;
    int vcpus = 0;
    for (Instance i : store.visible(accountId, now)) {
      if (i.state() == InstanceState.TERMINATED) {
        continue;
      }
      instances++;
      // By type, not by i.reserved(): a stopped instance still counts, whatever it reserves.
      vcpus += types.find(i.instanceType()).map(InstanceType::vcpus).orElseGet(() -> i.reserved() == null ? 0 : i.reserved().vcpus());
    }
    return new LaunchQuota.Usage(instances, vcpus);
  }
}
