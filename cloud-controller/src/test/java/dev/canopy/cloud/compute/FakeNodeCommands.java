package dev.canopy.cloud.compute;

import dev.canopy.cloud.scheduler.NodeCommands;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Node agents that answer at once, by default with ok; tests swap the answer. */
public final class FakeNodeCommands implements NodeCommands {

  /** One command as a node received it. */
  public record Sent(String nodeId, Command command) {}

  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private volatile Function<Command, Ack> answer = FakeNodeCommands::ok;
  private volatile RuntimeException transportFailure;

  public static Ack ok(Command c) {
    return new Ack(c.id(), true, null, null, c.epoch(), null);
  }

  public static Ack refused(Command c) {
    return new Ack(c.id(), false, "LibvirtError", "simulated", c.epoch(), null);
  }

  public void answer(Function<Command, Ack> answer) {
    this.answer = answer;
    this.transportFailure = null;
  }

  /** Every command's future fails with {@code failure}, as when the node cannot be reached. */
  public void unreachable(RuntimeException failure) {
    this.transportFailure = failure;
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  public List<Sent> sent(String type) {
    return sent.stream().filter(s -> s.command().type().equals(type)).toList();
  }

  @Override
  public CompletionStage<Ack> send(String nodeId, Command command, Duration timeout) {
    sent.add(new Sent(nodeId, command));
    if (transportFailure != null) {
      return CompletableFuture.failedFuture(transportFailure);
    }
    Ack ack = answer.apply(command);
    return ack == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(ack);
  }
}
