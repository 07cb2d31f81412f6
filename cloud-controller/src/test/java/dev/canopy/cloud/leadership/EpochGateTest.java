package dev.canopy.cloud.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.scheduler.NodeCommands;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandTypes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EpochGateTest {

  /** An agent that holds the newest epoch it saw, as the real dispatcher does. */
  static final class Agent implements NodeCommands {
    final List<Command> received = new CopyOnWriteArrayList<>();
    final AtomicLong held = new AtomicLong();

    @Override
    public CompletableFuture<Ack> send(String nodeId, Command c, Duration timeout) {
      received.add(c);
      if (c.epoch() < held.get()) {
        return CompletableFuture.completedFuture(new Ack(c.id(), false, "StaleEpoch", "older", held.get(), null));
      }
      held.set(c.epoch());
      return CompletableFuture.completedFuture(new Ack(c.id(), true, null, null, held.get(), null));
    }
  }

  private static Command run(long epoch) {
    return new Command("cmd-" + epoch + "-" + System.nanoTime(), epoch, CommandTypes.RUN_INSTANCE, JsonNodeFactory.instance.objectNode());
  }

  @Test
  void theFirstCommandOfAnEpochIsPrecededByAnAnnounceOnlyOnce() {
    Agent agent = new Agent();
    EpochGate gate = new EpochGate(agent, e -> { });
    assertThat(gate.send("n1", run(3), Duration.ofSeconds(1)).toCompletableFuture().join().ok()).isTrue();
    gate.send("n1", run(3), Duration.ofSeconds(1)).toCompletableFuture().join();
    gate.send("n1", run(4), Duration.ofSeconds(1)).toCompletableFuture().join();
    assertThat(agent.received).extracting(Command::type).containsExactly(
        CommandTypes.ANNOUNCE_EPOCH, CommandTypes.RUN_INSTANCE, CommandTypes.RUN_INSTANCE,
        CommandTypes.ANNOUNCE_EPOCH, CommandTypes.RUN_INSTANCE);
  }

  @Test
  void aStaleHolderIsRefusedBeforeItsCommandIsSentAndLearnsTheNewerEpoch() {
    Agent agent = new Agent();
    agent.held.set(9); // a later holder already announced 9
    AtomicLong seen = new AtomicLong();
    EpochGate gate = new EpochGate(agent, seen::set);
    Ack ack = gate.send("n1", run(5), Duration.ofSeconds(1)).toCompletableFuture().join();
    assertThat(ack.ok()).isFalse();
    assertThat(ack.error()).isEqualTo("StaleEpoch");
    assertThat(seen.get()).isEqualTo(9);
    assertThat(agent.received).extracting(Command::type).containsExactly(CommandTypes.ANNOUNCE_EPOCH);
  }

  @Test
  void anAnnounceWhoseSendThrowsIsAskedAgainByTheNextCommand() {
    Agent agent = new Agent();
    boolean[] thrown = {false};
    EpochGate gate = new EpochGate((nodeId, c, timeout) -> {
      if (!thrown[0]) {
        thrown[0] = true;
        throw new IllegalStateException("WebSocket is closed");
      }
      return agent.send(nodeId, c, timeout);
    }, e -> { });
    assertThat(gate.send("n1", run(2), Duration.ofSeconds(1)).toCompletableFuture()).isCompletedExceptionally();
    Ack ack = gate.send("n1", run(2), Duration.ofSeconds(1)).toCompletableFuture().join();
    assertThat(ack.ok()).isTrue();
    assertThat(agent.received).extracting(Command::type).containsExactly(CommandTypes.ANNOUNCE_EPOCH, CommandTypes.RUN_INSTANCE);
  }
}
