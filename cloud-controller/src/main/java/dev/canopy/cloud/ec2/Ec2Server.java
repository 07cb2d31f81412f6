package dev.canopy.cloud.ec2;

import dev.canopy.api.auth.AuthException;
import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.SigV2Verifier;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Error;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.error.ServerFailures;
import dev.canopy.api.http.ConnectionGuard;
import dev.canopy.api.http.ConnectionLimits;
import dev.canopy.api.http.RequestHead;
import dev.canopy.api.http.UndecodableRequest;
import dev.canopy.api.http.VertxRequestHeads;
import dev.canopy.api.query.QueryParams;
import dev.canopy.api.xml.XmlWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import dev.canopy.cloud.compute.NotLeaderException;
import dev.canopy.cloud.fencing.NoMajorityException;
import dev.canopy.cloud.fencing.StaleEpochException;
import dev.canopy.cloud.storeclient.StaleWriteRefused;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
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
  /** A forwarded call waits this long for the holder; scheduling answers in milliseconds. */
  private static final long FORWARD_TIMEOUT_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(Ec2Server.class);
  /** The metric label of every request whose action is not one this endpoint serves. */
  static final String UNKNOWN_ACTION_LABEL = "unknown";

  private final Vertx vertx;
  private final SigV4Verifier verifier;
  private final SigV2Verifier sigV2Verifier;
  private final Ec2Actions actions;
  private final MeterRegistry meters;
  private final Ec2Throttle throttle;
  private LeaderForwarding forwarding = LeaderForwarding.NONE;
  private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
  private ConnectionGuard guard;
  private HttpClient forwarder;
  private volatile dev.canopy.cloud.latency.LatencyRecorder latency;
  private HttpServer server;

  public Ec2Server(Vertx vertx, SigV4Verifier verifier, Ec2Actions actions, MeterRegistry meters) {
    this(vertx, verifier, actions, meters, Ec2Throttle.NONE);
  }

  /** With a request rate limit, checked after authentication and before the action. */
  public Ec2Server(Vertx vertx, SigV4Verifier verifier, Ec2Actions actions, MeterRegistry meters, Ec2Throttle throttle) {
    this.vertx = vertx;
    this.verifier = verifier;
    this.sigV2Verifier = SigV2Verifier.alongside(verifier);
    this.actions = actions;
    this.meters = meters;
    this.throttle = throttle;
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
    forwarder = vertx.createHttpClient();
    guard = ConnectionGuard.of(vertx, connectionLimits, "EC2");
    return UndecodableRequest.answerIn(
            guard.install(vertx.createHttpServer(guard.configure(new HttpServerOptions())), this::accept),
            Ec2Server::refuseUndecodable)
        .listen(port, host)
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  public Future<Void> close() {
    if (guard != null) {
      guard.close();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
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
    boolean forwarded = request.getHeader(LeaderForwarding.FORWARDED_HEADER) != null;
    request.endHandler(v -> {
      Timer.Sample sample = Timer.start(meters);
      vertx.executeBlocking(() -> {
        Ec2Reply reply = dispatch(head, body.getBytes(), requestId);
        // Where the holder is comes from the grid: looked up here, on the worker, never on the event loop.
        return new Routed(reply, reply.notLeader() && !forwarded ? leaderEndpoint(requestId) : Optional.empty());
      }, false)
          .onSuccess(routed -> {
            Ec2Reply reply = routed.reply();
            sample.stop(meters.timer("canopy.ec2.requests", "action", reply.action(), "code", reply.code()));
            if (routed.leader().isPresent()) {
              forward(request, body, routed.leader().get(), reply);
            } else {
              send(request, reply);
            }
          })
          .onFailure(failure -> send(request, unexpected(failure, requestId)));
    });
  }

  /** A reply, and the holder's endpoint when the call should go there instead. */
  private record Routed(Ec2Reply reply, Optional<URI> leader) {}

  /**
   * The holder's EC2 endpoint; empty when it cannot be known now (a controller cut off from the
   * grid's majority cannot read it): the client then gets this controller's own 503 and retries.
   */
  private Optional<URI> leaderEndpoint(String requestId) {
    try {
      return forwarding.leaderEndpoint();
    } catch (RuntimeException e) {
      LOG.warn("EC2 request {}: the lease holder's endpoint cannot be read, answering without forwarding: {}", requestId, e.toString());
      return Optional.empty();
    }
  }

  private Ec2Reply dispatch(RequestHead head, byte[] body, String requestId) {
    String actionName = UNKNOWN_ACTION_LABEL;
    try {
      Principal principal = authenticate(head, body);
      QueryParams params = head.method().equals("POST") ? QueryParams.parseForm(body) : QueryParams.parseQuery(head.rawQuery());
      String name = params.first("Action").orElseThrow(() -> Ec2Error.MISSING_ACTION.exception("The request must contain the parameter Action"));
      Optional<Ec2Action> found = actions.find(name);
      // Labels only from the known actions: a client naming a new action each time must not grow /metrics.
      actionName = found.isPresent() ? name : UNKNOWN_ACTION_LABEL;
      throttle.admit(principal);
      Ec2Action action = found
          .orElseThrow(() -> Ec2Error.INVALID_ACTION.exception("The action " + name + " is not valid for this web service."));
      if (params.bool("DryRun").orElse(false)) {
        throw Ec2Error.DRY_RUN_OPERATION.exception();
      }
      XmlWriter xml = new XmlWriter();
      xml.start(name + "Response").attribute("xmlns", NAMESPACE).element("requestId", requestId);
      action.handle(new Ec2Request(principal, params, requestId), xml);
      xml.end();
      return new Ec2Reply(200, xml.toBytes(), name, "OK");
    } catch (AwsException e) {
      return Ec2Reply.error(e, requestId).withAction(actionName);
    } catch (RuntimeException e) {
      String action = actionName;
      return refusal(e).map(r -> r.withAction(action).asReply(requestId)).orElseGet(() -> unexpected(e, requestId).withAction(action));
    }
  }

  /** Any other failure, through the one mapping every API shares: 503 ServiceUnavailable for an unavailable store or grid, else 500. */
  private static Ec2Reply unexpected(Throwable failure, String requestId) {
    ServerFailures.log(LOG, "EC2 request " + requestId, failure);
    return Ec2Reply.error(Ec2Errors.fromFailure(failure), requestId);
  }

  /**
   * A refusal that says this controller is not (or no longer) the one to lead: 503 Unavailable, which
   * the caller forwards to the holder when it can (and a metric); empty for anything else.
   */
  private Optional<Refusal> refusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StaleEpochException || t instanceof StaleWriteRefused) {
        // A newer holder minted an epoch: this controller's is over.
        meters.counter("canopy.fencing.refusals", "by", "grid").increment();
        LOG.warn("a write under a stale epoch was refused: {}", t.getMessage());
        return Optional.of(new Refusal(new NotLeaderException(), "unknown"));
      }
      if (t instanceof NoMajorityException || t instanceof SplitBrainProtectionException) {
        meters.counter("canopy.fencing.refusals", "by", "majority").increment();
        LOG.warn("this controller's grid member lacks a majority: {}", t.getMessage());
        return Optional.of(new Refusal(new NotLeaderException(), "unknown"));
      }
    }
    return Optional.empty();
  }

  private record Refusal(AwsException error, String action) {
    Refusal withAction(String name) {
      return new Refusal(error, name);
    }

    Ec2Reply asReply(String requestId) {
      return Ec2Reply.error(error, requestId).withAction(action);
    }
  }

  /**
   * Sends the request as it came (method, path, query, headers, body) to the holder's endpoint and
   * relays its answer; when the holder cannot be reached, the local 503 goes back instead.
   */
  private void forward(HttpServerRequest request, Buffer body, URI leader, Ec2Reply local) {
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setServer(SocketAddress.inetSocketAddress(leader.getPort(), leader.getHost()))
        .setURI(request.uri())
        .setTimeout(FORWARD_TIMEOUT_MS);
    String authority = request.getHeader("host");
    if (authority != null) {
      options.setHost(hostOf(authority)).setPort(portOf(authority));
    }
    request.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("connection")) {
        options.addHeader(name, value);
      }
    });
    options.putHeader(LeaderForwarding.FORWARDED_HEADER, "1");
    forwarder.request(options)
        .compose(out -> out.send(body))
        .compose(answer -> answer.body().map(bytes -> relay(request, answer, bytes)))
        .onFailure(e -> {
          LOG.info("could not forward {} to the leader at {}: {}", local.action(), leader, e.toString());
          send(request, local);
        });
  }

  private static Void relay(HttpServerRequest request, HttpClientResponse answer, Buffer bytes) {
    String type = answer.getHeader("content-type");
    request.response().setStatusCode(answer.statusCode())
        .putHeader("content-type", type == null ? "text/xml;charset=UTF-8" : type)
        .end(bytes);
    return null;
  }

  private static String hostOf(String authority) {
    if (authority.startsWith("[")) {
      return authority.substring(0, authority.indexOf(']') + 1);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  private static int portOf(String authority) {
    int bracket = authority.lastIndexOf(']');
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || colon < bracket) {
      return 80;
    }
    try {
      return Integer.parseInt(authority.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 80;
    }
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
