package dev.canopy.cloud.usageapi;

import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.ConsoleRoutes;
import dev.canopy.cloud.consoleapi.MonthBill;
import dev.canopy.cloud.consoleapi.QueryValues;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consoleapi.SignedCalls;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.metering.usage.MonthUsage;
import dev.canopy.cloud.metering.usage.UsageQueries;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.InstantSource;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/usage/instances/{id}?from=&to=&step=} (an instance's series, see {@link SeriesRange})
 * and {@code GET /api/usage/summary?month=YYYY-MM} (an account's month, see {@link SummaryView}),
 * SigV4-signed (service {@code canopy}) by a tenant, who reads its own account only, or by the
 * administrator, who reads any ({@code &account=} on the summary). Who may read what: {@link UsageReaders}.
 */
public final class UsageApi implements ConsoleRoutes {

  /** GETs carry no body; a signed one is held in memory until its signature is checked, this much at most. */
  private static final int BODY_BYTES_MAX = 16 * 1024;

  private final SignedCalls calls;
  private final IdentityService identity;
  private final UsageQueries usage;
  private final PriceSheet prices;
  private final InstantSource clock;

  /**
   * @param verifier SigV4 for service {@code canopy} over tenants' and the administrator's keys
   * @param clock the current month and the default end of a series
   */
  public UsageApi(Vertx vertx, SigV4Verifier verifier, IdentityService identity, UsageQueries usage, PriceSheet prices,
      InstantSource clock) {
    this.calls = new SignedCalls(vertx, verifier, LoggerFactory.getLogger(UsageApi.class));
    this.identity = identity;
    this.usage = usage;
    this.prices = prices;
    this.clock = clock;
  }

  /** Tenants and the operator logged in to the console read usage with their session too. */
  public UsageApi withSessions(SessionCallers sessions) {
    calls.withSessions(sessions);
    return this;
  }

  @Override
  public void mount(Router router) {
    router.route("/api/usage/*").handler(calls.refusingUnsigned("usage requests must be signed with an account's access keys"));
    router.route("/api/usage/*").handler(BodyHandler.create(false).setBodyLimit(BODY_BYTES_MAX));
    router.get("/api/usage/instances/:id").handler(ctx -> calls.call(ctx, 200, caller -> series(caller, ctx)));
    router.get("/api/usage/summary").handler(ctx -> calls.call(ctx, 200, caller -> summary(caller, ctx)));
  }

  private SeriesView series(Principal caller, RoutingContext ctx) {
    String instanceId = ctx.pathParam("id");
    if (!QueryValues.isInstanceId(instanceId)) {
      throw ApiError.invalidParameter("not an instance id (i-...): " + QueryValues.shown(instanceId));
    }
    SeriesRange range = SeriesRange.parse(ctx.queryParams(), clock.instant().getEpochSecond());
    UsageReaders.checkInstance(caller, instanceId, usage.ownerOf(instanceId));
    return SeriesView.of(usage.instanceSeries(instanceId, range.fromSecond(), range.toSecond(), range.step()));
  }

  private SummaryView summary(Principal caller, RoutingContext ctx) {
    String monthText = ctx.queryParams().get("month");
    YearMonth month = monthText == null ? YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)) : QueryValues.month(monthText, "month");
    String accountId = UsageReaders.accountOf(identity, caller, ctx.queryParams().get("account")).id();
    MonthUsage used = usage.month(accountId, month);
    return SummaryView.of(MonthBill.of(used, prices), used.closed(), prices.currency());
  }

}
