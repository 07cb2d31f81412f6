package dev.canopy.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code lease:} keys: the controllers' lease timings are derived from them, unsafe ones refused. */
class LeaseConfigTest {

  @TempDir Path dir;

  @Test
  void withoutTheKeysTheDefaultsGiveALeaseOfAboutFiveSeconds() throws Exception {
    var lease = ConfigLoaderTest.loadIn(dir, "").lease().timing().config(Set.of(1, 2, 3));
    assertThat(lease.leaseDurationMs()).isEqualTo(5_075);
    assertThat(lease.maxLeaseMs()).isEqualTo(5_075);
    assertThat(lease.fenceMarginMs()).isEqualTo(200);
  }

  @Test
  void aSlowerNetworkAndALongerTargetGiveALongerLease() throws Exception {
    var timing = ConfigLoaderTest.loadIn(dir, "lease:\n  maxOneWayDelayMs: 50\n  rho: 0.0001\n  failoverTargetMs: 6000\n")
        .lease().timing();
    assertThat(timing.leaseDurationMs()).isBetween(4_000L, 6_000L);
    assertThat(timing.failoverBoundNanos()).isLessThanOrEqualTo(6_000_000_000L);
  }

  @Test
  void anUnreachableTargetStopsStartUpNamingTheKey() {
    assertThatThrownBy(() -> ConfigLoaderTest.loadIn(dir, "lease:\n  failoverTargetMs: 1000\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'lease.failoverTargetMs'")
        .hasMessageContaining("the shortest target is 2408 ms");
    assertThatThrownBy(() -> ConfigLoaderTest.loadIn(dir, "lease:\n  maxOneWayDelayMs: 50\n  failoverTargetMs: 4000\n"))
        .hasMessageContaining("'lease.maxOneWayDelayMs'");
    assertThatThrownBy(() -> ConfigLoaderTest.loadIn(dir, "lease:\n  rho: 0.2\n")).hasMessageContaining("'lease.rho'");
    assertThatThrownBy(() -> ConfigLoaderTest.loadIn(dir, "lease:\n  leaseMs: 5000\n")).hasMessageContaining("'lease.leaseMs'");
  }
}
