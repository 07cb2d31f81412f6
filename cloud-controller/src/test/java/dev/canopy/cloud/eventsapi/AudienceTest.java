package dev.canopy.cloud.eventsapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.events.DomainEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AudienceTest {

  private static DomainEvent of(String accountId) {
    return new DomainEvent(1, Instant.EPOCH, "instance.state", accountId, "i-1", Map.of());
  }

  @Test
  void theOperatorSeesEverythingATenantOnlyItsOwnAccountsEvents() {
    Audience operator = new Audience("admin");
    Audience acme = new Audience("111111111111");

    assertThat(operator.sees(of("222222222222"))).isTrue();
    assertThat(operator.sees(of(null))).isTrue();
    assertThat(acme.sees(of("111111111111"))).isTrue();
    assertThat(acme.sees(of("222222222222"))).isFalse();
    assertThat(acme.sees(of(null))).as("the cloud's own events").isFalse();
    assertThat(acme.seesAccount("222222222222")).isFalse();
    assertThat(operator.seesAccount("222222222222")).isTrue();
  }
}
