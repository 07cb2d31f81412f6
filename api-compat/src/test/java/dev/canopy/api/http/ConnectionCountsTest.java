package dev.canopy.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.http.ConnectionCounts.Admission;
import org.junit.jupiter.api.Test;

class ConnectionCountsTest {

  @Test
  void refusesTheConnectionOverTheCapOfOneAddressAndStillAdmitsOthers() {
    ConnectionCounts counts = new ConnectionCounts(10, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(counts.admit("10.0.0.1")).isEqualTo(Admission.ADMITTED);
    }
    assertThat(counts.admit("10.0.0.1")).isEqualTo(Admission.ADDRESS_FULL);
    assertThat(counts.admit("10.0.0.2")).isEqualTo(Admission.ADMITTED);
    assertThat(counts.openFrom("10.0.0.1")).isEqualTo(3);
    assertThat(counts.open()).isEqualTo(4);
  }

  @Test
  void refusesEveryAddressOnceTheListenerIsFull() {
    ConnectionCounts counts = new ConnectionCounts(4, 2);
    counts.admit("a");
    counts.admit("a");
    counts.admit("b");
    counts.admit("c");
    assertThat(counts.admit("d")).isEqualTo(Admission.LISTENER_FULL);
    assertThat(counts.open()).isEqualTo(4);
  }

  @Test
  void aReleasedConnectionMakesRoomAndAnAddressWithNoneIsForgotten() {
    ConnectionCounts counts = new ConnectionCounts(2, 1);
    counts.admit("a");
    counts.admit("b");
    counts.release("a");
    assertThat(counts.addresses()).isEqualTo(1);
    assertThat(counts.admit("a")).isEqualTo(Admission.ADMITTED);
    assertThat(counts.admit("c")).isEqualTo(Admission.LISTENER_FULL);
  }

  @Test
  void theAddressMapNeverOutgrowsTheListenerCap() {
    ConnectionCounts counts = new ConnectionCounts(100, 1);
    for (int i = 0; i < 10_000; i++) {
      counts.admit("10.1." + (i / 256) + "." + (i % 256));
    }
    assertThat(counts.addresses()).isEqualTo(100);
    assertThat(counts.open()).isEqualTo(100);
  }

  @Test
  void releasingWhatWasNotAdmittedIsABug() {
    ConnectionCounts counts = new ConnectionCounts(2, 1);
    assertThatThrownBy(() -> counts.release("a")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> new ConnectionLimits(10, 11, ConnectionLimits.IDLE_TIMEOUT_DEFAULT, ConnectionLimits.HEAD_TIMEOUT_DEFAULT))
        .hasMessageContaining("connectionsPerAddressMax");
    assertThatThrownBy(() -> new ConnectionLimits(0, 1, ConnectionLimits.IDLE_TIMEOUT_DEFAULT, ConnectionLimits.HEAD_TIMEOUT_DEFAULT))
        .hasMessageContaining("connectionsMax");
    assertThatThrownBy(() -> new ConnectionLimits(10, 1, java.time.Duration.ZERO, ConnectionLimits.HEAD_TIMEOUT_DEFAULT))
        .hasMessageContaining("idleTimeout");
  }
}
