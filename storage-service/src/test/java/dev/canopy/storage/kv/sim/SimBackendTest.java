package dev.canopy.storage.kv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The simulator's backend loses exactly what was not synced when its machine crashes. */
class SimBackendTest {

  @Test
  void aCrashLosesOnlyChangesSinceTheLastSync() {
    SimBackend b = new SimBackend();
    b.put(1, new byte[] {1}, new byte[] {10}, true);
    b.put(1, new byte[] {2}, new byte[] {20}, false);
    b.put(1, new byte[] {1}, new byte[] {11}, false);
    b.delete(2, new byte[] {9}, false);
    b.crash();
    assertThat(b.get(1, new byte[] {1})).hasValueSatisfying(v -> assertThat(v).containsExactly(10));
    assertThat(b.get(1, new byte[] {2})).isEmpty();

    b.put(1, new byte[] {2}, new byte[] {21}, false);
    b.put(3, new byte[] {3}, new byte[] {30}, true);
    b.crash();
    assertThat(b.get(1, new byte[] {2})).as("synced by a later synced write").isPresent();
  }
}
