package dev.canopy.storage.kv.riak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.storage.kv.MembershipRefusedException;
import dev.canopy.storage.kv.RingAdmin;
import dev.canopy.storage.kv.RingView;
import dev.canopy.storage.kv.ring.Ring;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Canopy's ring routes (not Riak's): {@code GET /canopy/ring} shows the ring this node holds
 * (version, members with their addresses and partitions, this node's pending handoffs); {@code
 * POST /canopy/ring/join} with {@code {"node":"4","address":"10.0.0.4"}} and {@code POST
 * /canopy/ring/leave} with {@code {"node":"2"}} change the membership and answer the new ring.
 * Every answer is JSON; a refusal is {@code {"error":REASON,"message":...}} with 400, 404, 409,
 * 413 or 503, and nothing changed.
 */
final class RingResource {

  private static final Logger LOG = LoggerFactory.getLogger(RingResource.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A join or leave body is a few dozen bytes. */
  static final int BODY_BYTES_MAX = 4 * 1024;

  private final RingAdmin admin;

  RingResource(RingAdmin admin) {
    this.admin = admin;
  }

  Future<Void> view(RiakExchange ex) {
    return answer(ex, admin::view, null);
  }

  Future<Void> join(RiakExchange ex) {
    return answer(ex, body -> admin.join(field(body, "node"), field(body, "address")), "join");
  }

  Future<Void> leave(RiakExchange ex) {
    return answer(ex, body -> admin.leave(field(body, "node")), "leave");
  }

  private Future<Void> answer(RiakExchange ex, java.util.function.Supplier<CompletableFuture<RingView>> call, String change) {
    return answer(ex, body -> call.get(), change);
  }

  /** Reads the JSON body (for a change), runs the call and answers its view or its refusal, always as JSON. */
  private Future<Void> answer(RiakExchange ex, Function<JsonNode, CompletableFuture<RingView>> call, String change) {
    Future<JsonNode> body = change == null ? Future.succeededFuture(null)
        : ex.body(BODY_BYTES_MAX).map(bytes -> parse(bytes.getBytes()));
    return body.compose(json -> ex.await(call.apply(json)))
        .map(view -> {
          ex.json(200, render(view));
          return (Void) null;
        })
        .recover(failure -> {
          refuse(ex, failure, change);
          return Future.succeededFuture();
        });
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (json == null || !json.isObject()) {
        throw new RiakProblem(400, "the body must be a JSON object");
      }
      return json;
    } catch (JsonProcessingException e) {
      throw new RiakProblem(400, "the body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new RiakProblem(400, "the body could not be read as JSON");
    }
  }

  private static String field(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || !value.isTextual()) {
      throw new RiakProblem(400, "the body needs \"" + name + "\" as a string");
    }
    return value.asText();
  }

  private static void refuse(RiakExchange ex, Throwable failure, String change) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RiakProblem problem && problem.status == 413) {
      ex.fail(problem);
      return;
    }
    int status;
    String reason;
    if (cause instanceof MembershipRefusedException refused) {
      reason = refused.reason().name();
      status = switch (refused.reason()) {
        case INVALID -> 400;
        case NOT_A_MEMBER -> 404;
        case CONFLICT -> 409;
        case UNREACHABLE -> 503;
      };
    } else if (cause instanceof RiakProblem problem) {
      reason = "INVALID";
      status = problem.status;
    } else {
      LOG.error("the ring's {} failed", change == null ? "view" : change, cause);
      reason = "INTERNAL";
      status = 500;
    }
    String message = status == 500 ? "the " + (change == null ? "ring could not be read" : change + " failed") + "; see the node's log"
        : cause.getMessage().strip();
    if (ex.response.ended() || ex.response.headWritten()) {
      ex.fail(cause);
      return;
    }
    ex.json(status, JSON.createObjectNode().put("error", reason).put("message", message).toString());
  }

  static String render(RingView view) {
    Ring ring = view.ring();
    ObjectNode out = JSON.createObjectNode()
        .put("node", view.node())
        .put("version", ring.version())
        .put("partitions", ring.partitions())
        .put("handoffs_pending", view.handoffsPending());
    ArrayNode members = out.putArray("members");
    for (String member : ring.members()) {
      ObjectNode m = members.addObject().put("id", member);
      ring.address(member).ifPresentOrElse(a -> m.put("address", a), () -> m.putNull("address"));
      var owned = ring.partitionsOwnedBy(member);
      m.put("partitions_owned", owned.size());
      owned.forEach(m.putArray("partitions")::add);
    }
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always renders", e);
    }
  }
}
