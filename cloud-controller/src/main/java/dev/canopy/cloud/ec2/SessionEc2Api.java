package dev.canopy.cloud.ec2;

import dev.canopy.api.error.Ec2Error;
import dev.canopy.api.query.QueryParams;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.ConsoleRoutes;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consoleapi.SignedCalls;
import dev.canopy.cloud.consolelogin.ConsoleLogin;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/ec2} on the console port: EC2's Query API for a console session. The body is the
 * form an SDK would send ({@code Action=DescribeInstances&...}); the action runs through the same
 * {@link Ec2Dispatch} as the EC2 port, as the session's account, so ownership, quotas, throttling and
 * error codes are EC2's own. A success is EC2's XML (the page reads it with DOMParser); a failure is
 * the console's JSON error {@code {"code", "message"}} with EC2's code and status. Actions other
 * than {@code Describe*} and {@code Get*} need the session's CSRF token. The operator has no EC2
 * account: its session is refused with 403 {@code AccessDenied}. A leader-only action on a
 * controller that does not lead goes, as it came (cookie and token included), to the holder's
 * console port, which finds the same session in the grid.
 */
public final class SessionEc2Api implements ConsoleRoutes {

  /** As on the EC2 port. */
  private static final int BODY_BYTES_MAX = 1024 * 1024;

  private final Vertx vertx;
  private final SessionCallers sessions;
  private final Ec2Dispatch dispatch;
  private final LeaderForwarding holderConsole;
  private final SignedCalls answers;
  private LeaderForwarder forwarder;
  private TrustOptions holderTrust;

  /**
   * @param dispatch the EC2 port's, so both doors share the registry, the throttle and the metrics
   * @param holderConsole the lease holder's console endpoint, when another controller holds the lease
   */
  public SessionEc2Api(Vertx vertx, SessionCallers sessions, Ec2Dispatch dispatch, LeaderForwarding holderConsole) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.dispatch = dispatch;
    this.holderConsole = holderConsole == null ? LeaderForwarding.NONE : holderConsole;
    this.answers = new SignedCalls(vertx, null, LoggerFactory.getLogger(SessionEc2Api.class));
  }

  /** Whom to trust at the holder's console when it is HTTPS (outside dev). Call before {@link #mount}. */
  public SessionEc2Api withHolderTrust(TrustOptions trust) {
    this.holderTrust = trust;
    return this;
  }

  /** An EC2 action a browser may call without the CSRF token: it reads and changes nothing. */
  static boolean onlyReads(String action) {
    return action.startsWith("Describe") || action.startsWith("Get");
  }

  @Override
  public void mount(Router router) {
    forwarder = new LeaderForwarder(vertx, holderTrust);
    router.post("/api/ec2").handler(BodyHandler.create(false).setBodyLimit(BODY_BYTES_MAX));
    router.post("/api/ec2").handler(this::call);
    router.route("/api/ec2").handler(ctx -> answers.error(ctx, 405, "MethodNotAllowed", "EC2 calls are POSTs of the Query form"));
  }

  private void call(RoutingContext ctx) {
    String requestId = UUID.randomUUID().toString();
    Buffer body = ctx.body() == null || ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    boolean forwarded = LeaderForwarder.wasForwarded(ctx.request());
    Timer.Sample sample = Timer.start(dispatch.meters());
    vertx.executeBlocking(() -> {
      ConsoleLogin.Caller caller = sessions.session(ctx.request());
      QueryParams params = QueryParams.parseForm(body.getBytes());
      String action = params.first("Action").orElseThrow(() -> Ec2Error.MISSING_ACTION.exception("The request must contain the parameter Action"));
      if (!onlyReads(action)) {
        SessionCallers.requireCsrf(caller, ctx.request());
      }
      if (caller.operator()) {
        throw ApiError.accessDenied("the operator has no EC2 account: log in as a tenant");
      }
      Ec2Reply reply = dispatch.dispatch(() -> new Ec2Dispatch.Caller(SessionCallers.principalOf(caller), params), requestId);
      Optional<URI> holder = reply.notLeader() && !forwarded
          ? LeaderForwarder.holder(holderConsole, "console EC2 request " + requestId) : Optional.empty();
      return new Routed(reply, holder);
    }, false).onSuccess(routed -> {
      Ec2Reply reply = routed.reply();
      sample.stop(dispatch.meters().timer("canopy.ec2.requests", "action", reply.action(), "code", reply.code()));
      if (routed.holder().isPresent()) {
        forwarder.forward(ctx.request(), body, routed.holder().get(), reply.action(), () -> send(ctx, reply));
      } else {
        send(ctx, reply);
      }
    }).onFailure(failure -> answers.fail(ctx, failure));
  }

  private record Routed(Ec2Reply reply, Optional<URI> holder) {}

  private void send(RoutingContext ctx, Ec2Reply reply) {
    if (reply.failed()) {
      answers.error(ctx, reply.status(), reply.code(), reply.message());
      return;
    }
    ctx.response().setStatusCode(reply.status())
        .putHeader("content-type", "text/xml;charset=UTF-8")
        .putHeader("cache-control", "no-store")
        .end(Buffer.buffer(reply.body()));
  }
}
