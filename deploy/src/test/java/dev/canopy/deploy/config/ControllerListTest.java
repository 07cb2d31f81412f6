package dev.canopy.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.core.cloud.CloudLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --controllers id=address,...}: every role must read the same list the same way, or refuse it. */
class ControllerListTest {

  @Test
  void pairsAreReadByIdInIdOrder() {
    assertThat(ControllerList.parse(List.of("3=10.0.0.3:8776", "1=10.0.0.1:8776", " 2 = host-b:8776 ")))
        .containsExactly(Map.entry(1, "10.0.0.1:8776"), Map.entry(2, "host-b:8776"), Map.entry(3, "10.0.0.3:8776"));
  }

  @Test
  void theLowestAndHighestIdsAreAccepted() {
    assertThat(ControllerList.parse(List.of("1=a", CloudLimits.CONTROLLER_ID_MAX + "=b")))
        .containsExactly(Map.entry(1, "a"), Map.entry(CloudLimits.CONTROLLER_ID_MAX, "b"));
  }

  @Test
  void anEmptyListIsEmpty() {
    assertThat(ControllerList.parse(List.of())).isEmpty();
  }

  @Test
  void aDuplicateIdIsRefusedNamingTheSecondEntry() {
    assertRefused(List.of("1=a:1", "2=b:1", "1=c:1"), "1=c:1");
  }

  @Test
  void idsOutsideTheRangeAreRefused() {
    assertRefused(List.of("0=a:1"), "0=a:1");
    assertRefused(List.of("256=a:1"), "256=a:1");
    assertRefused(List.of("-1=a:1"), "-1=a:1");
  }

  @Test
  void anEntryWithoutEqualsIsRefused() {
    assertRefused(List.of("1=a:1", "10.0.0.2:8776"), "10.0.0.2:8776");
    assertRefused(List.of("7"), "7");
  }

  @Test
  void anEmptyAddressOrIdIsRefused() {
    assertRefused(List.of("1="), "1=");
    assertRefused(List.of("1=   "), "1=   ");
    assertRefused(List.of("=a:1"), "=a:1");
    assertRefused(List.of("one=a:1"), "one=a:1");
  }

  private static void assertRefused(List<String> entries, String named) {
    assertThatThrownBy(() -> ControllerList.parse(entries))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + named + "'")
        .hasMessageContaining("1.." + CloudLimits.CONTROLLER_ID_MAX);
  }
}
