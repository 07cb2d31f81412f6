package dev.canopy.node.commands;

import static dev.canopy.node.commands.Fixtures.on;
import static dev.canopy.node.commands.Fixtures.run;
import static dev.canopy.node.commands.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.core.time.ManualTime;
import dev.canopy.node.epoch.EpochStore;
import dev.canopy.node.hypervisor.BoundedHypervisor;
import dev.canopy.node.hypervisor.FakeHypervisor;
import dev.canopy.node.hypervisor.FakeHypervisor.Op;
import dev.canopy.node.hypervisor.HypervisorSettings;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import dev.canopy.node.protocol.CommandTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandDispatcherTest {

  private static final String ID = "i-0123456789abcdef0";

  @TempDir Path dataDir;

  private NodeCompute compute(FakeHypervisor fake) {
    return NodeCompute.wire(NodeSettings.defaults("node-a", dataDir), fake, new SparseDiskProvisioner(),
        new ManualTime());
  }

  @Test
  void staleEpochsAreRefusedNamingTheHeldEpoch() {
    FakeHypervisor fake = new FakeHypervisor();
    CommandDispatcher d = compute(fake).dispatcher();
    assertThat(d.dispatch(run(spec(ID), 7)).heldEpoch()).isEqualTo(7);
    Ack stale = d.dispatch(on(CommandTypes.TERMINATE_INSTANCE, ID, 6));
    assertThat(stale.ok()).isFalse();
    assertThat(stale.error()).isEqualTo("StaleEpoch");
    assertThat(stale.heldEpoch()).isEqualTo(7);
    assertThat(fake.find(ID)).isPresent();
  }

  @Test
  void aNewerEpochSurvivesARestartOfTheAgent() {
    compute(new FakeHypervisor()).dispatcher().dispatch(on(CommandTypes.TERMINATE_INSTANCE, ID, 12));
    assertThat(EpochStore.open(dataDir).held()).isEqualTo(12);
    CommandDispatcher restarted = compute(new FakeHypervisor()).dispatcher();
    Ack stale = restarted.dispatch(on(CommandTypes.TERMINATE_INSTANCE, ID, 11));
    assertThat(stale.error()).isEqualTo("StaleEpoch");
    assertThat(stale.heldEpoch()).isEqualTo(12);
  }

  @Test
  void aRepeatedCommandIdIsAnsweredWithoutActingAgain() {
    FakeHypervisor fake = new FakeHypervisor();
    CommandDispatcher d = compute(fake).dispatcher();
    d.dispatch(run(spec(ID), 1));
    Command reboot = on(CommandTypes.REBOOT_INSTANCE, ID, 1);
    Ack first = d.dispatch(reboot);
    Ack second = d.dispatch(reboot);
    assertThat(second).isEqualTo(first);
    assertThat(fake.calls(Op.REBOOT)).isEqualTo(1);
  }

  @Test
  void concurrentDuplicatesWaitForTheFirstAnswer() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CommandHandler slow = new CommandHandler() {
      @Override
      public String type() {
        return "slow";
      }

      @Override
      public Ack handle(Command c) {
        runs.incrementAndGet();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new Ack(c.id(), true, null, null, 0, null);
      }
    };
    CommandDispatcher d = new CommandDispatcher(EpochStore.open(dataDir), List.of(slow), 16);
    Command c = new Command("same", 1, "slow", null);
    List<Thread> callers = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r);
      callers.add(t);
      return t;
    });
    try {
      Future<Ack> a = pool.submit(() -> d.dispatch(c));
      Future<Ack> b = pool.submit(() -> d.dispatch(c));
      // Release the handler only once both callers are parked: one inside it, the other waiting on its answer.
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> runs.get() == 1 && callers.size() == 2 && callers.stream().allMatch(
              t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
      release.countDown();
      assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(b.get(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    assertThat(runs).hasValue(1);
  }

  @Test
  void theLruForgetsTheOldestIds() {
    CountingHandler count = new CountingHandler("count");
    CommandDispatcher d = new CommandDispatcher(EpochStore.open(dataDir), List.of(count), 2);
    d.dispatch(new Command("a", 1, "count", null));
    d.dispatch(new Command("b", 1, "count", null));
    d.dispatch(new Command("c", 1, "count", null));
    d.dispatch(new Command("c", 1, "count", null));
    d.dispatch(new Command("a", 1, "count", null));
    assertThat(count.runs()).isEqualTo(4);
  }

  @Test
  void unknownTypesAndMalformedCommandsAreRefused() {
    CommandDispatcher d = compute(new FakeHypervisor()).dispatcher();
    Ack unknown = d.dispatch(Fixtures.command("migrateInstance", 1, null));
    assertThat(unknown.ok()).isFalse();
    assertThat(unknown.error()).isEqualTo("UnknownCommand");
    assertThat(unknown.heldEpoch()).isEqualTo(1);
    assertThat(d.dispatch(new Command(null, 1, CommandTypes.RUN_INSTANCE, null)).error()).isEqualTo("InvalidCommand");
    assertThat(d.dispatch(null).error()).isEqualTo("InvalidCommand");
  }

  @Test
  void aHungHypervisorCallIsATimeoutAck() {
    FakeHypervisor fake = new FakeHypervisor();
    CountDownLatch hang = fake.hang(Op.FIND);
    BoundedHypervisor bounded = BoundedHypervisor.wrap(fake,
        new HypervisorSettings("fake:///", Duration.ofMillis(200), 2, 8));
    try {
      CommandDispatcher d = NodeCompute.wire(NodeSettings.defaults("node-a", dataDir), bounded,
          new SparseDiskProvisioner(), new ManualTime()).dispatcher();
      Ack ack = d.dispatch(run(spec(ID), 1));
      assertThat(ack.ok()).isFalse();
      assertThat(ack.error()).isEqualTo("Timeout");
      assertThat(ack.message()).contains("find").doesNotContain("\tat ");
    } finally {
      hang.countDown();
      bounded.close();
    }
  }

  @Test
  void aHandlerBugBecomesAnInternalErrorAck() {
    CommandHandler broken = new CommandHandler() {
      @Override
      public String type() {
        return "broken";
      }

      @Override
      public Ack handle(Command c) {
        throw new IllegalStateException("bug");
      }
    };
    CommandDispatcher d = new CommandDispatcher(EpochStore.open(dataDir), List.of(broken), 16);
    Ack ack = d.dispatch(new Command("x", 3, "broken", null));
    assertThat(ack.ok()).isFalse();
    assertThat(ack.error()).isEqualTo("InternalError");
    assertThat(ack.heldEpoch()).isEqualTo(3);
  }
}
