package dev.canopy.cloud.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** GetConsoleOutput asks the node through the lease holder, whose commands the agent accepts. */
class ConsoleReaderTest {

  private static final String ALICE = "111111111111";
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  private final ComputeFixture f = new ComputeFixture(new InMemoryTables(), () -> NOW, 11);

  private Instance launch() {
    f.addNode("node-1", 8, 16384, 100);
    return f.instances.run(ALICE, new LaunchRequest(f.systemImage.imageId(), "t3.micro", 1, 1, null, List.of(), List.of(),
        null, null, null, Map.of(), InstanceAttributes.DEFAULTS)).instances().get(0);
  }

  private ConsoleReader reader(boolean leads) {
    Leadership leadership = new Leadership() {
      @Override
      public boolean isLeader() {
        return leads;
      }

      @Override
      public long epoch() {
        return leads ? 3 : 0;
      }
    };
    CommandSender sender = new CommandSender(f.commands, leadership, new ResourceIds(new SplittableRandom(1)), Duration.ofSeconds(5));
    return new ConsoleReader(sender, leadership, () -> NOW);
  }

  @Test
  void aFollowerHandsTheCallToTheHolderInsteadOfSendingACommandTheAgentWouldRefuse() {
    Instance running = launch();

    // Under epoch 0 the agent answers StaleEpoch, which the reader used to show as "no output".
    assertThatThrownBy(() -> reader(false).read(running)).isInstanceOf(NotLeaderException.class);
    assertThat(f.commands.sent(CommandTypes.GET_CONSOLE_OUTPUT)).isEmpty();
  }

  @Test
  void theHolderReadsTheNodesOutput() {
    Instance running = launch();
    f.commands.answer(c -> c.type().equals(CommandTypes.GET_CONSOLE_OUTPUT)
        ? new Ack(c.id(), true, null, null, 0, new ObjectMapper().createObjectNode().put("output", "Ym9vdGVkCg=="))
        : FakeNodeCommands.ok(c));

    assertThat(reader(true).read(running).outputBase64()).isEqualTo("Ym9vdGVkCg==");
    assertThat(f.commands.sent(CommandTypes.GET_CONSOLE_OUTPUT)).singleElement()
        .satisfies(s -> assertThat(s.command().epoch()).isEqualTo(3));
  }
}
