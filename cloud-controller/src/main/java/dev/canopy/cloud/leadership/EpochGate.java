package dev.canopy.cloud.leadership;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.scheduler.NodeCommands;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandTypes;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The holder commands an agent only after the agent has acknowledged its epoch: before the first
 * command of an epoch to a node, an {@code announceEpoch} goes out and must be acked. An agent
 * that refuses it holds a newer epoch than this controller's (a later holder existed); that epoch
 * is reported to {@code newerEpochSeen}, so the next holder mints above it, and the command is
 * answered with the refusal without being sent.
 */
public final class EpochGate implements NodeCommands {

  /** One announce per node and epoch; concurrent commands wait on the same one. */
  private record Announced(long epoch, CompletableFuture<Ack> ack) {}

  private final NodeCommands delegate;
  private final LongConsumer newerEpochSeen;
  private final Map<String, Announced> announced = new ConcurrentHashMap<>();

  public EpochGate(NodeCommands delegate, LongConsumer newerEpochSeen) {
    this.delegate = delegate;
    this.newerEpochSeen = newerEpochSeen;
  }

  @Override
  public CompletionStage<Ack> send(String nodeId, Command command, Duration timeout) {
    return announce(nodeId, command.epoch(), timeout).thenCompose(ack -> {
      if (ack.ok()) {
        return delegate.send(nodeId, command, timeout);
      }
      if (ack.heldEpoch() > command.epoch()) {
        newerEpochSeen.accept(ack.heldEpoch());
      }
      return CompletableFuture.completedFuture(
          new Ack(command.id(), false, ack.error(), "epoch not acknowledged: " + ack.message(), ack.heldEpoch(), null));
    });
  }

  /**
   * A new holder's announcement to every node it knows, right after minting, so that from then on
   * those agents refuse any older holder's command, not only the nodes this holder commands.
   * Refusals feed {@code newerEpochSeen}; a node that does not answer is asked again before the
   * first command to it.
   */
  public void announceToAll(Collection<String> nodeIds, long epoch, Duration timeout) {
    for (String nodeId : nodeIds) {
      announce(nodeId, epoch, timeout).whenComplete((ack, failure) -> {
        if (ack != null && !ack.ok() && ack.heldEpoch() > epoch) {
          newerEpochSeen.accept(ack.heldEpoch());
        }
      });
    }
  }

  private CompletionStage<Ack> announce(String nodeId, long epoch, Duration timeout) {
    CompletableFuture<Ack> mine = new CompletableFuture<>();
    Announced current = announced.compute(nodeId, (id, a) ->
        a != null && a.epoch() == epoch && !a.ack().isCompletedExceptionally() && !failed(a) ? a : new Announced(epoch, mine));
    if (current.ack() == mine) {
      Command announce = new Command("announce-" + epoch + "-" + nodeId + "-" + System.identityHashCode(mine), epoch,
          CommandTypes.ANNOUNCE_EPOCH, JsonNodeFactory.instance.objectNode());
      try {
        delegate.send(nodeId, announce, timeout).whenComplete((ack, failure) -> {
          if (failure != null) {
            mine.completeExceptionally(failure);
          } else {
            mine.complete(ack);
          }
        });
      } catch (RuntimeException e) {
        // Left pending, this announce would hold every later command of the epoch to the node
        // for good: the next one must ask again.
        mine.completeExceptionally(e);
      }
    }
    return current.ack();
  }

  /** A refused announce is not remembered: the next command asks again (the agent may have been wiped). */
  private static boolean failed(Announced a) {
    return a.ack().isDone() && !a.ack().join().ok();
  }
}
