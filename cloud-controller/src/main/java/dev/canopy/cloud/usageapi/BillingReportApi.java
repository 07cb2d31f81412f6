package dev.canopy.cloud.usageapi;

import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.consoleapi.BillingReports;
import dev.canopy.cloud.consoleapi.ConsoleRoutes;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consoleapi.SignedCalls;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.metering.usage.UsageQueries;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/billing/report?month=YYYY-MM[&format=csv|json][&account=]}: the month's bill in
 * FOCUS columns, the very report {@code canopy billing report} prints (the admin API's
 * {@link BillingReports}), for the caller's own account; the administrator names any account. Signed
 * with SigV4 (service {@code canopy}) or called with a console session, as the usage API.
 */
public final class BillingReportApi implements ConsoleRoutes {

  /** GETs carry no body; a signed one is held in memory until its signature is checked, this much at most. */
  private static final int BODY_BYTES_MAX = 16 * 1024;

  private final SignedCalls calls;
  private final IdentityService identity;
  private final BillingReports reports;

  public BillingReportApi(Vertx vertx, SigV4Verifier verifier, IdentityService identity, UsageQueries usage, PriceSheet prices) {
    this.calls = new SignedCalls(vertx, verifier, LoggerFactory.getLogger(BillingReportApi.class));
    this.identity = identity;
    this.reports = new BillingReports(identity, usage, prices);
  }

  public BillingReportApi withSessions(SessionCallers sessions) {
    calls.withSessions(sessions);
    return this;
  }

  @Override
  public void mount(Router router) {
    router.route("/api/billing/*").handler(calls.refusingUnsigned("bills must be asked for with a console session or a signed request"));
    router.route("/api/billing/*").handler(BodyHandler.create(false).setBodyLimit(BODY_BYTES_MAX));
    router.get("/api/billing/report").handler(ctx -> calls.call(ctx, 200,
        caller -> reports.answer(UsageReaders.accountOf(identity, caller, ctx.queryParams().get("account")), ctx.queryParams())));
  }
}
