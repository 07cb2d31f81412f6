package dev.canopy.cloud.gridtunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which controllers a host reaches through forwarders, and which layouts it refuses. */
class TunnelPlanTest {

  private static final TreeMap<Integer, String> THREE_HOSTS = new TreeMap<>(Map.of(
      1, "10.0.0.11", 2, "10.0.0.12", 3, "10.0.0.13"));

  @Test
  void aControllerAloneOnItsHostForwardsToEveryOther() {
    TunnelPlan plan = TunnelPlan.of(settings(2, THREE_HOSTS), Set.of("10.0.0.12")::contains);

    assertThat(plan.forwarded()).containsExactly(1, 3);
  }

  @Test
  void controllersAllOnOneHostForwardToNone() {
    TreeMap<Integer, String> oneHost = new TreeMap<>(Map.of(1, "127.0.1.1", 2, "127.0.1.2", 3, "127.0.1.3"));

    assertThat(TunnelPlan.of(settings(1, oneHost), address -> true).forwarded()).isEmpty();
  }

  @Test
  void twoControllersSharingAHostWithAThirdElsewhereAreRefused() {
    assertThatThrownBy(() -> TunnelPlan.of(settings(1, THREE_HOSTS), Set.of("10.0.0.11", "10.0.0.12")::contains))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("controllers [2] share this host with controller 1 while [3] run elsewhere");
  }

  @Test
  void aControllerWhoseAddressIsNotThisHostsIsRefused() {
    assertThatThrownBy(() -> TunnelPlan.of(settings(1, THREE_HOSTS), Set.of("10.0.0.12")::contains))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("controller 1's address 10.0.0.11 is not an address of this host");
  }

  @Test
  void everyLoopbackAddressIsThisHostsAndADocumentationAddressIsNot() {
    assertThat(LocalAddresses.isLocal("127.0.1.2")).isTrue();
    assertThat(LocalAddresses.isLocal("192.0.2.1")).isFalse();
  }

  @Test
  void aControllerIdWithoutAnAliasIsRefused() {
    TreeMap<Integer, String> controllers = new TreeMap<>(Map.of(1, "10.0.0.11", 256, "10.0.0.12"));

    assertThatThrownBy(() -> settings(1, controllers)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..255");
  }

  private static TunnelSettings settings(int self, TreeMap<Integer, String> controllers) {
    return new TunnelSettings(self, controllers, 5701, TunnelLimits.DEFAULTS);
  }
}
