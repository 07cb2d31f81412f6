package dev.canopy.cloud.admin;

import dev.canopy.cloud.billing.MonthTotals;
import dev.canopy.cloud.billing.MonthTotalsFormats;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.BillingReports;
import dev.canopy.cloud.consoleapi.QueryValues;
import dev.canopy.cloud.consoleapi.StreamedBody;
import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.metering.usage.MonthEndBilling;
import dev.canopy.cloud.metering.usage.UsageQueries;
import io.vertx.core.MultiMap;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /admin/v1/billing/totals?month=YYYY-MM[&format=csv|json]}: the month-end billing run,
 * every account billed in the month priced into totals per resource and SKU ({@link MonthEndBilling}).
 * The hourly detail of one account stays {@code /admin/v1/billing/report}'s.
 */
final class BillingTotals {

  /** Threads that read and price accounts' months at once; one run at a time per controller is what an operator starts. */
  static final int READERS_MAX = 4;

  private final IdentityService identity;
  private final MonthEndBilling billing;
  private final PriceSheet prices;
  private final ExecutorService readers = Executors.newFixedThreadPool(READERS_MAX, runnable -> {
    Thread thread = new Thread(runnable, "billing-totals");
    thread.setDaemon(true);
    return thread;
  });

  BillingTotals(IdentityService identity, UsageQueries usage, PriceSheet prices) {
    this.identity = identity;
    this.billing = new MonthEndBilling(usage);
    this.prices = prices;
  }

  /** Blocking: reads every billed account's month before the first byte is written (the run is all or nothing). */
  StreamedBody answer(MultiMap params) {
    String format = params.get("format") == null ? "json" : params.get("format");
    if (!format.equals("csv") && !format.equals("json")) {
      throw ApiError.invalidParameter("format must be csv or json, got " + QueryValues.shown(format));
    }
    YearMonth month = QueryValues.month(params.get("month"), "month");
    List<MonthTotals> run = billing.run(month, prices, readers);
    Map<String, String> names = new HashMap<>();
    for (Account account : identity.listAccounts()) {
      names.put(account.id(), account.name());
    }
    return format.equals("csv")
        ? new StreamedBody(BillingReports.CSV, out -> MonthTotalsFormats.writeCsv(month, run, names, prices.currency(), out))
            .downloadedAs("canopy-totals-" + month + ".csv")
        : new StreamedBody(BillingReports.JSON, out -> MonthTotalsFormats.writeJson(month, run, names, prices.currency(), out));
  }
}
