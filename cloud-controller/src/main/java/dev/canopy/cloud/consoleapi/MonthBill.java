package dev.canopy.cloud.consoleapi;

import dev.canopy.cloud.billing.FocusReport;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.metering.usage.MonthUsage;

/** An account's bill of a month as both the admin report and the tenant's summary price it. */
public final class MonthBill {

  private MonthBill() {}

  /** The month's own hourly rows plus the corrections of closed months recorded during it. */
  public static FocusReport of(MonthUsage used, PriceSheet prices) {
    return FocusReport.build(used.accountId(), used.month(), used.usage(),
        used.corrections().stream().map(MonthUsage.Correction::change).toList(), prices);
  }
}
