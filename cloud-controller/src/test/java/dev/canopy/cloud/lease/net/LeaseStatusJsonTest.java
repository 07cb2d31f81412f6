package dev.canopy.cloud.lease.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseStatusJsonTest {

  @Test
  void rendersTheHolderView() {
    assertThat(LeaseStatusJson.render(new LeaseStatus(2, 7, 812L, List.of(1, 2, 3), 0)))
        .isEqualTo("{\"holder\": 2, \"epoch\": 7, \"remainingMs\": 812, \"acceptors\": [1, 2, 3], \"quarantineMs\": 0}");
  }

  @Test
  void rendersNullsForNoHolderAndForANonHolder() {
    assertThat(LeaseStatusJson.render(new LeaseStatus(null, 0, null, List.of(3), 9500)))
        .isEqualTo("{\"holder\": null, \"epoch\": 0, \"remainingMs\": null, \"acceptors\": [3], \"quarantineMs\": 9500}");
  }
}
