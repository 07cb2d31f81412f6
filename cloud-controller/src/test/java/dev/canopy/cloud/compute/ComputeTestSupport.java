package dev.canopy.cloud.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** A compute fixture on one node (4 vCPUs: two t3.micro), a settable clock, and the checks the lifecycle tests share. */
final class ComputeTestSupport {

  static final String ALICE = "111111111111";
  static final String BOB = "222222222222";

  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  final ComputeFixture f;

  ComputeTestSupport() {
    this(new InMemoryTables());
  }

  /** Over other tables (the grid's). */
  ComputeTestSupport(ComputeFixture.Tables tables) {
    f = new ComputeFixture(tables, now::get, 42);
    f.addNode("node-1", 4, 4096, 100);
  }

  LaunchRequest launch(int min, int max, String token) {
    return launch(min, max, token, InstanceAttributes.DEFAULTS);
  }

  LaunchRequest launch(int min, int max, String token, InstanceAttributes attributes) {
    return new LaunchRequest(f.systemImage.imageId(), "t3.micro", min, max, "k1", List.of(), List.of(), null, null, token,
        Map.of("Name", "web"), attributes);
  }

  /** Between pages of a walk: up to two of Alice's {@code alive} instances stopped or terminated, each noted in {@code changed}. */
  void stopOrTerminateSome(java.util.SplittableRandom random, List<String> alive, java.util.Set<String> changed) {
    for (int n = random.nextInt(3); n > 0 && !alive.isEmpty(); n--) {
      String victim = alive.remove(random.nextInt(alive.size()));
      changed.add(victim);
      if (random.nextBoolean()) {
        f.instances.terminate(ALICE, List.of(victim));
      } else {
        f.instances.stop(ALICE, List.of(victim), false);
      }
    }
  }

  /** One t3.micro for ALICE, acked running by the (default, ok) fake node. */
  Instance runOne() {
    return f.instances.run(ALICE, launch(1, 1, null)).instances().get(0);
  }

  Instance described(String instanceId) {
    return f.instances.describe(ALICE, List.of(instanceId), List.of(), null, null).instances().get(0);
  }

  InstanceState stateOf(String instanceId) {
    return described(instanceId).state();
  }

  /** Moves the clock on, so a reconcile that skips instances changed since its snapshot sees them. */
  void later(long seconds) {
    now.set(now.get().plusSeconds(seconds));
  }

  static void assertError(Runnable call, int status, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.httpStatus()).isEqualTo(status);
    });
  }
}
