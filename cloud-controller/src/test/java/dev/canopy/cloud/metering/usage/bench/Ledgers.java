package dev.canopy.cloud.metering.usage.bench;

import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.usage.AccountMonth;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Whole account-month ledgers, built by the aggregator's own {@link AccountMonth#withQuantities}. */
final class Ledgers {

  static final int INSTANCES_PER_ACCOUNT = 2;
  static final String INSTANCE_TYPE = "m1.small";

  private Ledgers() {}

  static String accountId(int n) {
    return String.format("%012d", n);
  }

  /** Every hour of {@code month}: a full hour of instance-seconds and random traffic in and out, per instance. */
  static AccountMonth month(String accountId, YearMonth month, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    int hours = month.lengthOfMonth() * 24;
    List<AccountMonth.Row> rows = new ArrayList<>();
    for (int i = 0; i < INSTANCES_PER_ACCOUNT; i++) {
      String instance = String.format("i-%s%05d", accountId, i);
      for (int h = 0; h < hours; h++) {
        Instant hour = start.plusSeconds(3_600L * h);
        rows.add(new AccountMonth.Row(instance, UsageType.INSTANCE_SECONDS, INSTANCE_TYPE, hour, 3_600));
        rows.add(new AccountMonth.Row(instance, UsageType.NETWORK_IN, null, hour, random.nextLong(450_000_000_000L)));
        rows.add(new AccountMonth.Row(instance, UsageType.NETWORK_OUT, null, hour, random.nextLong(450_000_000_000L)));
      }
    }
    return AccountMonth.empty(accountId, month).withQuantities(rows, start).month();
  }
}
