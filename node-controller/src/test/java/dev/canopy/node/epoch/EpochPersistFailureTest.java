package dev.canopy.node.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.commands.CommandDispatcher;
import dev.canopy.node.commands.CountingHandler;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newer epoch that cannot be made durable (a full or failing disk): the agent must neither hold
 * it nor obey the command that carried it, or a restart would forget which leader is current.
 */
class EpochPersistFailureTest {

  @TempDir Path dataDir;

  /** Makes the next durable write fail: its temporary file's name is taken by a non-empty directory. */
  private Path blockWrites() throws Exception {
    Path obstacle = dataDir.resolve(EpochStore.FILE_NAME + ".tmp");
    Files.createDirectories(obstacle.resolve("in-the-way"));
    return obstacle;
  }

  private static void unblock(Path obstacle) throws Exception {
    Files.delete(obstacle.resolve("in-the-way"));
    Files.delete(obstacle);
  }

  @Test
  void anEpochThatCannotBePersistedIsNotHeldAndTheFileKeepsTheOldOne() throws Exception {
    EpochStore store = EpochStore.open(dataDir);
    assertThat(store.accept(3)).isTrue();
    Path obstacle = blockWrites();

    assertThatThrownBy(() -> store.accept(5)).isInstanceOf(UncheckedIOException.class).hasMessageContaining("epoch 5");

    assertThat(store.held()).isEqualTo(3);
    assertThat(store.accept(3)).as("the current leader goes on").isTrue();
    assertThat(store.accept(2)).isFalse();
    assertThat(EpochStore.open(dataDir).held()).as("what a restart reads").isEqualTo(3);

    unblock(obstacle);
    assertThat(store.accept(5)).isTrue();
    assertThat(EpochStore.open(dataDir).held()).isEqualTo(5);
  }

  @Test
  void aCommandWhoseNewerEpochCannotBePersistedIsRefusedAndNeverRuns() throws Exception {
    EpochStore store = EpochStore.open(dataDir);
    CountingHandler counting = new CountingHandler("rebootInstance");
    CommandDispatcher dispatcher = new CommandDispatcher(store, List.of(counting), 64);
    assertThat(dispatcher.dispatch(new Command("c-1", 3, "rebootInstance", null)).ok()).isTrue();
    Path obstacle = blockWrites();

    Ack refused = dispatcher.dispatch(new Command("c-2", 5, "rebootInstance", null));

    assertThat(refused.ok()).isFalse();
    assertThat(refused.error()).isEqualTo("InternalError");
    assertThat(refused.message()).contains("cannot persist the epoch");
    assertThat(refused.heldEpoch()).as("the agent still holds the old epoch").isEqualTo(3);
    assertThat(counting.runs()).as("only c-1 ran").isEqualTo(1);

    unblock(obstacle);
    Ack later = dispatcher.dispatch(new Command("c-3", 5, "rebootInstance", null));
    assertThat(later.ok()).isTrue();
    assertThat(later.heldEpoch()).isEqualTo(5);
    assertThat(counting.runs()).isEqualTo(2);
  }
}
