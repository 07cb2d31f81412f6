package dev.canopy.node.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.node.hypervisor.GuestStats;
import dev.canopy.node.hypervisor.NicStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterDeltasTest {

  private static final String MAC_A = "52:54:00:00:00:0a";
  private static final String MAC_B = "52:54:00:00:00:0b";

  private static NicStats nic(String device, String mac, long rxBytes, long txBytes) {
    return new NicStats(device, mac, rxBytes, rxBytes / 100, txBytes, txBytes / 100);
  }

  private static GuestStats guest(long cpu, NicStats... nics) {
    return new GuestStats(cpu, 524_288, List.of(nics));
  }

  @Test
  void firstSightGivesNoSampleButRecordsTheBaseline() {
    CounterDeltas.Step step = CounterDeltas.advance(Baselines.EMPTY,
        Map.of("i-1", guest(5_000, nic("vnet0", MAC_A, 10_000, 2_000))), 1_000);

    assertThat(step.samples()).isEmpty();
    Baselines.Guest baseline = step.after().guests().get("i-1");
    assertThat(baseline.atMs()).isEqualTo(1_000);
    assertThat(baseline.cpuTimeNanos()).isEqualTo(5_000);
    assertThat(baseline.nics().get(MAC_A)).isEqualTo(new Baselines.Nic("vnet0", 10_000, 100, 2_000, 20));
  }

  @Test
  void everyNicAndTheInstanceGetTheirOwnDeltas() {
    Baselines first = CounterDeltas.advance(Baselines.EMPTY,
        Map.of("i-1", guest(5_000, nic("vnet0", MAC_A, 10_000, 2_000), nic("vnet1", MAC_B, 0, 0))), 1_000).after();

    CounterDeltas.Step step = CounterDeltas.advance(first,
        Map.of("i-1", guest(7_500, nic("vnet0", MAC_A, 15_000, 2_300), nic("vnet1", MAC_B, 400, 100))), 11_000);

    assertThat(step.samples()).containsExactly(
        new Sample("i-1", null, null, 11_000, 10_000, 0, 0, 0, 0, 2_500, 524_288),
        new Sample("i-1", MAC_A, "vnet0", 11_000, 10_000, 5_000, 50, 300, 3, 0, 0),
        new Sample("i-1", MAC_B, "vnet1", 11_000, 10_000, 400, 4, 100, 1, 0, 0));
  }

  @Test
  void aCounterThatWentDownWasResetSoTheNewValueIsTheDelta() {
    Baselines first = CounterDeltas.advance(Baselines.EMPTY,
        Map.of("i-1", guest(9_000, nic("vnet0", MAC_A, 50_000, 7_000))), 1_000).after();

    // The guest was restarted: a new tap (new name), a new qemu process; counters start again at 0.
    CounterDeltas.Step step = CounterDeltas.advance(first,
        Map.of("i-1", guest(1_000, nic("vnet7", MAC_A.toUpperCase(), 3_000, 8_000))), 11_000);

    assertThat(step.samples()).containsExactly(
        new Sample("i-1", null, null, 11_000, 10_000, 0, 0, 0, 0, 1_000, 524_288),
        // tx went up (7000 → 8000) and is an ordinary delta; rx went down and is taken whole.
        new Sample("i-1", MAC_A, "vnet7", 11_000, 10_000, 3_000, 30, 1_000, 10, 0, 0));
  }

  @Test
  void aHotPluggedNicStartsWithABaselineOnly() {
    Baselines first = CounterDeltas.advance(Baselines.EMPTY, Map.of("i-1", guest(0, nic("vnet0", MAC_A, 100, 100))), 0).after();

    CounterDeltas.Step step = CounterDeltas.advance(first,
        Map.of("i-1", guest(0, nic("vnet0", MAC_A, 200, 100), nic("vnet1", MAC_B, 999, 999))), 10_000);

    assertThat(step.samples()).extracting(Sample::mac).containsExactly(null, MAC_A);
    assertThat(step.after().guests().get("i-1").nics()).containsKeys(MAC_A, MAC_B);
  }

  @Test
  void aMissingInstanceKeepsItsBaselineAndItsNextDeltaSpansTheGap() {
    Baselines first = CounterDeltas.advance(Baselines.EMPTY, Map.of("i-1", guest(0, nic("vnet0", MAC_A, 100, 0))), 0).after();
    Baselines skipped = CounterDeltas.advance(first, Map.of(), 10_000).after();
    assertThat(skipped.guests()).containsKey("i-1");

    CounterDeltas.Step back = CounterDeltas.advance(skipped, Map.of("i-1", guest(0, nic("vnet0", MAC_A, 900, 0))), 20_000);

    assertThat(back.samples()).filteredOn(Sample::isNic).singleElement()
        .satisfies(s -> {
          assertThat(s.rxBytes()).isEqualTo(800);
          assertThat(s.intervalMs()).isEqualTo(20_000);
        });
  }

  @Test
  void aBaselineMissingForLongerThanTheRetentionIsDropped() {
    Baselines first = CounterDeltas.advance(Baselines.EMPTY, Map.of("i-1", guest(0)), 0).after();

    assertThat(CounterDeltas.advance(first, Map.of(), CounterDeltas.ABSENT_RETENTION_MS).after().guests()).containsKey("i-1");
    assertThat(CounterDeltas.advance(first, Map.of(), CounterDeltas.ABSENT_RETENTION_MS + 1).after().guests()).isEmpty();
  }

  @Test
  void aClockSteppingBackGivesAZeroIntervalNotANegativeOne() {
    Baselines first = CounterDeltas.advance(Baselines.EMPTY, Map.of("i-1", guest(0)), 50_000).after();

    assertThat(CounterDeltas.advance(first, Map.of("i-1", guest(10)), 40_000).samples())
        .singleElement().extracting(Sample::intervalMs).isEqualTo(0L);
  }

  @Test
  void refusesTwoNicsWithOneMac() {
    assertThatThrownBy(() -> CounterDeltas.advance(Baselines.EMPTY,
        Map.of("i-1", guest(0, nic("vnet0", MAC_A, 0, 0), nic("vnet1", MAC_A, 0, 0))), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
  }

  @Test
  void theWireFormCarriesOnlyTheKindsOwnFields() {
    assertThat(new Sample("i-1", null, null, 5, 10, 0, 0, 0, 0, 77, 88).toJson().toString())
        .isEqualTo("{\"instanceId\":\"i-1\",\"timestampMs\":5,\"intervalMs\":10,\"cpuTimeNanos\":77,\"memoryKib\":88}");
    assertThat(new Sample("i-1", MAC_A, "vnet0", 5, 10, 1, 2, 3, 4, 0, 0).toJson().toString())
        .isEqualTo("{\"instanceId\":\"i-1\",\"mac\":\"" + MAC_A + "\",\"device\":\"vnet0\",\"timestampMs\":5,\"intervalMs\":10,"
            + "\"rxBytes\":1,\"rxPackets\":2,\"txBytes\":3,\"txPackets\":4}");
  }
}
