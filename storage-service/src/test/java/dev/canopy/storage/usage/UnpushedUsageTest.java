package dev.canopy.storage.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.local.LocalStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counts saved at a stop survive a restart of the node's store and are pushed once, under the life that counted them. */
class UnpushedUsageTest {

  private static final Instant TEN = Instant.parse("2026-12-06T10:00:00Z");

  record Push(String incarnation, Instant hour, List<BucketUsage> usage) {}

  /** A sink that refuses while {@code down}, else records. */
  static final class Sink implements UsageSink {
    final List<Push> pushes = new ArrayList<>();
    boolean down;

    @Override
    public void push(String incarnation, Instant hour, List<BucketUsage> usage) {
      if (down) {
        throw new IllegalStateException("no controller answers");
      }
      pushes.add(new Push(incarnation, hour, usage));
    }
  }

  @Test
  void countsSavedAtAStopArePushedByTheNextLifeUnderTheOldOneAndThenForgotten(@TempDir Path dir) {
    BucketUsageMeter meter = new BucketUsageMeter();
    meter.record("111111111111", "photos", true, false, 0, TEN.plusSeconds(5));
    meter.record("111111111111", "photos", false, true, 4_096, TEN.plusSeconds(3_599));
    meter.record("222222222222", "logs", true, false, 0, TEN.plusSeconds(3_600));
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      new UnpushedUsage(store).save("1-1000", meter.snapshot(TEN.plusSeconds(3_700)));
    }

    Sink sink = new Sink();
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      UnpushedUsage saved = new UnpushedUsage(store);
      sink.down = true;
      assertThat(saved.pushSaved(sink)).as("nothing pushed while the controllers are away").isZero();
      sink.down = false;
      assertThat(saved.pushSaved(sink)).isEqualTo(2);
      assertThat(saved.pushSaved(sink)).as("pushed once, then forgotten").isZero();
    }
    assertThat(sink.pushes).containsExactlyInAnyOrder(
        new Push("1-1000", TEN, List.of(new BucketUsage("111111111111", "photos", 1, 1, 4_096))),
        new Push("1-1000", TEN.plusSeconds(3_600), List.of(new BucketUsage("222222222222", "logs", 1, 0, 0))));
  }

  @Test
  void aMeterWithNothingCountedSavesNothing(@TempDir Path dir) {
    try (LocalStore store = LocalStore.open(dir.resolve("store"))) {
      new UnpushedUsage(store).save("1-1000", new BucketUsageMeter().snapshot(TEN));
      assertThat(store.loadAll(UnpushedUsage.NAMESPACE)).isEmpty();
    }
  }
}
