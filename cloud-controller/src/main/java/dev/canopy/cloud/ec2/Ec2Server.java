package dev.canopy.cloud.ec2;

import dev.canopy.api.auth.AuthException;
import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.SigV2Verifier;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.api.error.Ec2Error;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.api.http.SharedPortServers;
import dev.canopy.api.http.RequestHead;
import dev.canopy.api.http.UndecodableRequest;
import dev.canopy.api.http.VertxRequestHeads;
import dev.canopy.api.query.QueryParams;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EC2 Query endpoint: GET or form POST, SigV4 (or SigV2, which older tools such as euca2ools
 * sign), XML answers in the 2016-11-15 namespace. The event loop only collects the (bounded)
 * body; verification and the action run on a worker, because they read the grid.
 */
public final class Ec2Server {

  public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
  /** EC2 caps a Query request well below this; UserData alone is at most 16 KB (base64 ~22 KB). */
  private static final int BODY_BYTES_MAX = 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(Ec2Server.class);
  /** The metric label of every request whose action is not one this endpoint serves. */
  static final String UNKNOWN_ACTION_LABEL = "unknown";

  private final Vertx vertx;
  private final SigV4Verifier verifier;
  private final SigV2Verifier sigV2Verifier;
  private final Ec2Dispatch dispatch;
  private final MeterRegistry meters;
  private LeaderForwarding forwarding = LeaderForwarding.NONE;
  private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
  private ConnectionGuard guard;
  private LeaderForwarder forwarder;
  private volatile dev.canopy.cloud.latency.LatencyRecorder latency;
  private SharedPortServers servers;

  public Ec2Server(Vertx vertx, SigV4Verifier verifier, Ec2Actions actions, MeterRegistry meters) {
    this(vertx, verifier, actions, meters, Ec2Throttle.NONE);
  }

  /** With a request rate limit, checked after authentication and before the action. */
  public Ec2Server(Vertx vertx, SigV4Verifier verifier, Ec2Actions actions, MeterRegistry meters, Ec2Throttle throttle) {
    this.vertx = vertx;
    this.verifier = verifier;
    this.sigV2Verifier = SigV2Verifier.alongside(verifier);
    this.dispatch = new Ec2Dispatch(actions, meters, throttle);
    this.meters = meters;
  }

  /** How this endpoint runs an authenticated request, for another door onto the same actions (the console's). */
  public Ec2Dispatch dispatch() {
    return dispatch;
  }

  /** Leader-only calls that reach a controller that does not lead go to the holder. Call before {@link #listen}. */
  public Ec2Server withLeaderForwarding(LeaderForwarding forwarding) {
    this.forwarding = forwarding == null ? LeaderForwarding.NONE : forwarding;
    return this;
  }

  /** Caps and timeouts of this port's connections; {@link ConnectionLimits#DEFAULTS} unless set. Call before {@link #listen}. */
  public Ec2Server withConnectionLimits(ConnectionLimits limits) {
    this.connectionLimits = limits;
    return this;
  }

  /** Measures each request's time to its answer, by client network. Call before {@link #listen}. */
  public Ec2Server withLatency(dev.canopy.cloud.latency.LatencyRecorder recorder) {
    this.latency = recorder;
    return this;
  }

  public Future<Integer> listen(String host, int port) {
    forwarder = new LeaderForwarder(vertx);
    guard = ConnectionGuard.of(vertx, connectionLimits, "EC2");
    // Served from one event loop per core: parsing, SigV4 and XML of a busy port need more than one.
    return SharedPortServers.listen(vertx, SharedPortServers.EVENT_LOOPS_DEFAULT, host, port,
            () -> UndecodableRequest.answerIn(
                guard.install(vertx.createHttpServer(guard.configure(new HttpServerOptions())), this::accept),
                Ec2Server::refuseUndecodable))
        .map(bound -> {
          servers = bound;
          return bound.port();
        });
  }

  public Future<Void> close() {
    if (guard != null) {
      guard.close();
    }
    Future<Void> closed = servers == null ? Future.succeededFuture() : servers.close();
    return forwarder == null ? closed : closed.eventually(() -> forwarder.close());
  }

  /** A request the HTTP decoder refused (too long, not HTTP) still gets EC2's error envelope. */
  private static void refuseUndecodable(UndecodableRequest why, HttpServerRequest request) {
    send(request, Ec2Reply.error(Ec2Error.INVALID_REQUEST.exception(why.message()), UUID.randomUUID().toString()));
  }

  private void accept(HttpServerRequest request) {
    dev.canopy.cloud.latency.LatencyRecorder recorder = latency;
    if (recorder != null) {
      long started = recorder.time().nanoTime();
      String client = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
      request.response().endHandler(v -> recorder.api("ec2", client, recorder.time().nanoTime() - started));
    }
    String requestId = UUID.randomUUID().toString();
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.POST) {
      send(request, Ec2Reply.error(Ec2Error.INVALID_ACTION.exception("EC2 accepts GET and POST only"), requestId));
      return;
    }
    String length = request.getHeader("content-length");
    if (length != null && parseLength(length) > BODY_BYTES_MAX) {
      send(request, Ec2Reply.error(Ec2Errors.invalidParameterValue("the request body exceeds " + BODY_BYTES_MAX + " bytes"), requestId));
      return;
    }
    RequestHead head = VertxRequestHeads.of(request);
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > BODY_BYTES_MAX) {
        request.connection().close();
        return;
      }
      body.appendBuffer(chunk);
    });
    boolean forwarded = LeaderForwarder.wasForwarded(request);
    request.endHandler(v -> {
      Timer.Sample sample = Timer.start(meters);
      vertx.executeBlocking(() -> {
        Ec2Reply reply = dispatch(head, body.getBytes(), requestId);
        // Where the holder is comes from the grid: looked up here, on the worker, never on the event loop.
        return new Routed(reply, reply.notLeader() && !forwarded ? LeaderForwarder.holder(forwarding, "EC2 request " + requestId) : Optional.empty());
      }, false)
          .onSuccess(routed -> {
            Ec2Reply reply = routed.reply();
            sample.stop(meters.timer("canopy.ec2.requests", "action", reply.action(), "code", reply.code()));
            if (routed.leader().isPresent()) {
              forwarder.forward(request, body, routed.leader().get(), reply.action(), () -> send(request, reply));
            } else {
              send(request, reply);
            }
          })
          .onFailure(failure -> send(request, Ec2Dispatch.unexpected(failure, requestId)));
    });
  }

  /** A reply, and the holder's endpoint when the call should go there instead. */
  private record Routed(Ec2Reply reply, Optional<URI> leader) {}

  private Ec2Reply dispatch(RequestHead head, byte[] body, String requestId) {
    return dispatch.dispatch(() -> new Ec2Dispatch.Caller(authenticate(head, body),
        head.method().equals("POST") ? QueryParams.parseForm(body) : QueryParams.parseQuery(head.rawQuery())), requestId);
  }

  /** SigV2 when the parameters say so (euca2ools, boto 2), SigV4 otherwise; one set of error codes. */
  private Principal authenticate(RequestHead head, byte[] body) {
    try {
      return SigV2Verifier.appliesTo(head, body) ? sigV2Verifier.verify(head, body) : verifier.verifyWhole(head, body);
    } catch (AuthException e) {
      throw Ec2Errors.fromAuth(e);
    } catch (SigV2Verifier.ParameterException e) {
      throw switch (e.problem()) {
        case MISSING_PARAMETER -> Ec2Error.MISSING_PARAMETER.exception(e.getMessage());
        case INVALID_PARAMETER_VALUE -> Ec2Error.INVALID_PARAMETER_VALUE.exception(e.getMessage());
        case INVALID_PARAMETER_COMBINATION -> Ec2Error.INVALID_PARAMETER_COMBINATION.exception(e.getMessage());
      };
    }
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static void send(HttpServerRequest request, Ec2Reply reply) {
    request.response()
        .setStatusCode(reply.status())
        .putHeader("content-type", "text/xml;charset=UTF-8")
        .end(Buffer.buffer(reply.body()));
  }
}
