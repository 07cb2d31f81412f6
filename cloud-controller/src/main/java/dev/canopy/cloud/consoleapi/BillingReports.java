package dev.canopy.cloud.consoleapi;

import dev.canopy.cloud.billing.FocusFormats;
import dev.canopy.cloud.billing.FocusReport;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.metering.usage.UsageQueries;
import io.vertx.core.MultiMap;
import java.time.YearMonth;

/**
 * An account's bill of a month as the admin API ({@code GET /admin/v1/billing/report?account=&month=
 * YYYY-MM[&format=csv|json]}) and the tenants' {@code GET /api/billing/report} answer it: parse, read
 * the account's month from the metering store, price it into a {@link FocusReport} (the month's rows
 * and the corrections of closed months recorded in it), render it as FOCUS CSV or JSON. A CSV comes
 * as a download named {@code canopy-bill-ACCOUNT-YYYY-MM.csv}.
 */
public final class BillingReports {

  public static final String CSV = "text/csv; charset=utf-8";
  public static final String JSON = "application/json";

  private final IdentityService identity;
  private final UsageQueries usage;
  private final PriceSheet prices;

  public BillingReports(IdentityService identity, UsageQueries usage, PriceSheet prices) {
    this.identity = identity;
    this.usage = usage;
    this.prices = prices;
  }

  /** The bill of the account {@code account=} names (the administrator's report). Blocking (grid and store reads). */
  public StreamedBody answer(MultiMap params) {
    return answer(AccountParam.resolve(identity, params.get("account")), params);
  }

  /** The bill of {@code account}; {@code month} and {@code format} from the query. Blocking (grid and store reads). */
  public StreamedBody answer(Account account, MultiMap params) {
    String format = params.get("format") == null ? "json" : params.get("format");
    if (!format.equals("csv") && !format.equals("json")) {
      throw ApiError.invalidParameter("format must be csv or json, got " + QueryValues.shown(format));
    }
    YearMonth month = QueryValues.month(params.get("month"), "month");
    FocusReport report = MonthBill.of(usage.month(account.id(), month), prices);
    // Written out as it is made: a large account's month is hundreds of megabytes of text.
    return format.equals("csv")
        ? new StreamedBody(CSV, out -> FocusFormats.writeCsv(report, out)).downloadedAs(downloadName(account, month))
        : new StreamedBody(JSON, out -> FocusFormats.writeJson(report, out));
  }

  /** The CSV's file name: the account's name (letters, digits, '.', '_', '-' only) and the month. */
  static String downloadName(Account account, YearMonth month) {
    return "canopy-bill-" + account.name() + "-" + month + ".csv";
  }
}
