package dev.canopy.cloud.agents;

import dev.canopy.cloud.scheduler.NodeCommands;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.AgentJson;
import dev.canopy.node.protocol.AgentMessages;
import dev.canopy.node.protocol.Command;
import dev.canopy.cloud.latency.LatencyRecorder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One agent's WebSocket session, bound to the node id in its certificate, with the commands
 * sent on it that still wait for their ack.
 */
final class AgentSession {

  /** Commands in flight to one node; more means the agent stopped acking and callers pile up. */
  static final int PENDING_COMMANDS_MAX = 10_000;

  private final String nodeId;
  private final ServerWebSocket socket;
  private final ObjectMapper json = AgentJson.MAPPER;
  private final ConcurrentHashMap<String, CompletableFuture<Ack>> pending = new ConcurrentHashMap<>();
  /** The ping sent with the last heartbeat and not answered yet (its send time in nanos), or -1; event loop only. */
  private long pendingPing = -1;
  /** The controller list this agent was last told, and the controllers' starts then; event loop only. */
  private List<String> toldControllers = List.of();
  private long toldStarts;

  AgentSession(String nodeId, ServerWebSocket socket) {
    this.nodeId = nodeId;
    this.socket = socket;
  }

  String nodeId() {
    return nodeId;
  }

  /**
   * Tells the agent every controller it should keep a session with, when that set changed or a
   * controller started again since the last time (the agent then retries sessions it backs off).
   */
  void tellControllers(List<String> controllers, long starts) {
    if (controllers.isEmpty() || (controllers.equals(toldControllers) && starts == toldStarts)) {
      return;
    }
    toldControllers = List.copyOf(controllers);
    toldStarts = starts;
    ObjectNode message = AgentJson.envelope(AgentMessages.CONTROLLERS);
    controllers.forEach(message.putArray("controllers")::add);
    socket.writeTextMessage(message.toString());
  }

  /**
   * Sends a WebSocket ping carrying its send time, once per heartbeat; the agent's WebSocket
   * answers it with a pong at once. A ping still unanswered at the next heartbeat counts as lost.
   */
  void ping(LatencyRecorder latency) {
    if (pendingPing >= 0) {
      latency.pingLost(nodeId);
    }
    long now = latency.time().nanoTime();
    pendingPing = now;
    socket.writePing(Buffer.buffer().appendLong(now));
  }

  /** A pong: the round trip of the ping it answers, when it is the pending one. */
  void pong(Buffer data, LatencyRecorder latency) {
    if (data.length() == Long.BYTES && data.getLong(0) == pendingPing) {
      latency.heartbeat(nodeId, latency.time().nanoTime() - pendingPing);
      pendingPing = -1;
    }
  }

  ServerWebSocket socket() {
    return socket;
  }

  CompletableFuture<Ack> send(Command command, Duration timeout) {
    if (pending.size() >= PENDING_COMMANDS_MAX) {
      return CompletableFuture.failedFuture(
          new NodeCommands.NodeUnreachableException("node " + nodeId + " has " + PENDING_COMMANDS_MAX + " commands waiting for an ack"));
    }
    CompletableFuture<Ack> created = new CompletableFuture<>();
    CompletableFuture<Ack> existing = pending.putIfAbsent(command.id(), created);
    if (existing != null) {
      // The same command id is already on its way: its ack answers both callers.
      return existing;
    }
    created.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ack, failure) -> pending.remove(command.id(), created));
    ObjectNode message = AgentJson.envelope(AgentMessages.COMMAND).set("command", json.valueToTree(command));
    socket.writeTextMessage(message.toString()).onFailure(created::completeExceptionally);
    return created;
  }

  /** @return false when no command with this id is waiting (it timed out, or was never sent) */
  boolean complete(Ack ack) {
    CompletableFuture<Ack> waiting = ack.commandId() == null ? null : pending.remove(ack.commandId());
    return waiting != null && waiting.complete(ack);
  }

  void failAll(String reason) {
    pending.values().forEach(f -> f.completeExceptionally(new NodeCommands.NodeUnreachableException(reason)));
    pending.clear();
  }
}
