package dev.canopy.cloud.admin;

import dev.canopy.cloud.billing.FocusFormats;
import dev.canopy.cloud.billing.FocusReport;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.consoleapi.AccountParam;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.MonthBill;
import dev.canopy.cloud.consoleapi.QueryValues;
import dev.canopy.cloud.consoleapi.StreamedBody;
import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.metering.usage.UsageQueries;
import io.vertx.core.MultiMap;
import java.time.YearMonth;

/**
 * {@code GET /admin/v1/billing/report?account=<name or id>&month=YYYY-MM[&format=csv|json]}: parse,
 * read the account's month from the metering store, price it into a {@link FocusReport} (the month's
 * rows and the corrections of closed months recorded in it), render it as FOCUS CSV or JSON.
 */
final class BillingReports {

  static final String CSV = "text/csv; charset=utf-8";
  static final String JSON = "application/json";

  private final IdentityService identity;
  private final UsageQueries usage;
  private final PriceSheet prices;

  BillingReports(IdentityService identity, UsageQueries usage, PriceSheet prices) {
    this.identity = identity;
    this.usage = usage;
    this.prices = prices;
  }

  /** Blocking (grid and store reads). */
  StreamedBody answer(MultiMap params) {
    String format = params.get("format") == null ? "json" : params.get("format");
    if (!format.equals("csv") && !format.equals("json")) {
      throw ApiError.invalidParameter("format must be csv or json, got " + QueryValues.shown(format));
    }
    YearMonth month = QueryValues.month(params.get("month"), "month");
    Account account = AccountParam.resolve(identity, params.get("account"));
    FocusReport report = MonthBill.of(usage.month(account.id(), month), prices);
    // Written out as it is made: a large account's month is hundreds of megabytes of text.
    return format.equals("csv")
        ? new StreamedBody(CSV, out -> FocusFormats.writeCsv(report, out))
        : new StreamedBody(JSON, out -> FocusFormats.writeJson(report, out));
  }
}
