package dev.canopy.cloud.metering;

import dev.canopy.cloud.metering.usage.AccountDay;
import dev.canopy.cloud.metering.usage.AccountMonth;

/** The bytes a record takes in the metering store (its binary form, without the envelope), for tests and benchmarks. */
public final class StoredBytes {

  private StoredBytes() {}

  public static int of(AccountMonth ledger) {
    return MeteringRecords.encode(ledger).length;
  }

  public static int of(AccountDay day) {
    return MeteringRecords.encode(day).length;
  }
}
