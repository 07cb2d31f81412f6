package dev.canopy.cloud.ec2;

import dev.canopy.api.auth.AuthException;
import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.SigV2Verifier;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Error;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.http.RequestHead;
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
import io.vertx.core.http.HttpServerRequest;
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
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(Ec2Server.class);

  private final Vertx vertx;
  private final SigV4Verifier verifier;
  private final SigV2Verifier sigV2Verifier;
  private final Ec2Actions actions;
  private final MeterRegistry meters;
  private final Ec2Throttle throttle;
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

  public Future<Integer> listen(String host, int port) {
    return vertx
        .createHttpServer()
        .requestHandler(this::accept)
        .listen(port, host)
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void accept(HttpServerRequest request) {
    String requestId = UUID.randomUUID().toString();
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.POST) {
      send(request, Ec2Reply.error(Ec2Error.INVALID_ACTION.exception("EC2 accepts GET and POST only"), requestId));
      return;
    }
    String length = request.getHeader("content-length");
    if (length != null && parseLength(length) > MAX_BODY_BYTES) {
      send(request, Ec2Reply.error(Ec2Errors.invalidParameterValue("the request body exceeds " + MAX_BODY_BYTES + " bytes"), requestId));
      return;
    }
    RequestHead head = VertxRequestHeads.of(request);
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        request.connection().close();
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      Timer.Sample sample = Timer.start(meters);
      vertx.executeBlocking(() -> dispatch(head, body.getBytes(), requestId), false)
          .onSuccess(reply -> {
            sample.stop(meters.timer("canopy.ec2.requests", "action", reply.action(), "code", reply.code()));
            send(request, reply);
          })
          .onFailure(failure -> {
            LOG.error("EC2 request {} failed unexpectedly", requestId, failure);
            send(request, Ec2Reply.error(Ec2Errors.internalError(), requestId));
          });
    });
  }

  private Ec2Reply dispatch(RequestHead head, byte[] body, String requestId) {
    String actionName = "unknown";
    try {
      Principal principal = authenticate(head, body);
      QueryParams params = head.method().equals("POST") ? QueryParams.parseForm(body) : QueryParams.parseQuery(head.rawQuery());
      actionName = params.first("Action").orElseThrow(() -> Ec2Error.MISSING_ACTION.exception("The request must contain the parameter Action"));
      throttle.admit(principal);
      String name = actionName;
      Ec2Action action = actions.find(name)
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
