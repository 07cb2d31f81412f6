package dev.canopy.cloud.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.fencing.EpochMint;
import dev.canopy.cloud.metering.usage.AccountDay;
import dev.canopy.cloud.metering.usage.AccountMonth;
import dev.canopy.cloud.metering.usage.InstanceDay;
import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.usage.MeteredInstance;
import dev.canopy.cloud.metering.usage.MeteredPoint;
import dev.canopy.cloud.metering.usage.MeteringWrites;
import dev.canopy.cloud.metering.usage.MonthIndex;
import dev.canopy.cloud.metering.usage.SamplePoints;
import dev.canopy.storage.internal.EpochFencedStore;
import dev.canopy.storage.local.LocalStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metering records on a real local store behind the storage side's epoch fence. */
class SystemMeteringStoreTest {

  private static final LocalDate DAY = LocalDate.of(2026, 12, 6);
  private static final YearMonth DECEMBER = YearMonth.of(2026, 12);

  @TempDir Path dir;
  private LocalStore local;
  private final AtomicLong epoch = new AtomicLong(5);
  private SystemMeteringStore store;

  @BeforeEach
  void open() {
    local = LocalStore.open(dir.resolve("store"));
    mint(5);
    store = new SystemMeteringStore(new EpochFencedStore(local, EpochMint.MAP, EpochMint.KEY, SystemMeteringStore.NAMESPACES),
        epoch::get);
  }

  @AfterEach
  void close() {
    local.close();
  }

  private void mint(long minted) {
    local.put(EpochMint.MAP, EpochMint.KEY, ("{\"epoch\":" + minted + "}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyRecordReadsBackAsWritten() {
    var samples = JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode()
        .put("instanceId", "i-1").put("mac", "52:54:00:00:00:01").put("device", "vnet0")
        .put("timestampMs", Instant.parse("2026-12-06T10:00:10Z").toEpochMilli()).put("intervalMs", 10_000)
        .put("rxBytes", Long.MAX_VALUE).put("rxPackets", 1).put("txBytes", 0).put("txPackets", 0));
    InstanceDay day = InstanceDay.empty("i-1", "111122223333", DAY).merge(SamplePoints.of(samples).points()).day();
    AccountMonth month = AccountMonth.empty("111122223333", DECEMBER).withQuantities(List.of(new AccountMonth.Row("i-1",
        UsageType.NETWORK_IN, null, Instant.parse("2026-12-06T10:00:00Z"), Long.MAX_VALUE)), Instant.EPOCH).month()
        .close(Instant.parse("2027-01-03T00:00:00Z"));

    store.put(day);
    store.put(month);
    store.put(new MeteredInstance("i-1", "111122223333", DAY, DAY));
    store.put(new MonthIndex(DECEMBER, new TreeSet<>(List.of("111122223333")), null));
    store.putRunTimeFoldedThrough(Instant.parse("2026-12-06T10:00:00Z"));

    InstanceDay read = store.day("i-1", DAY).orElseThrow();
    assertThat(read.points(read.series().get(0), 0, Long.MAX_VALUE)).containsValue(Long.MAX_VALUE);
    assertThat(read.trafficOfHour(Instant.parse("2026-12-06T10:00:00Z").getEpochSecond())).containsEntry(UsageType.NETWORK_IN, Long.MAX_VALUE);
    assertThat(store.month("111122223333", DECEMBER)).contains(month);
    assertThat(store.instance("i-1")).contains(new MeteredInstance("i-1", "111122223333", DAY, DAY));
    assertThat(store.monthIndex(DECEMBER).orElseThrow().accounts()).containsExactly("111122223333");
    assertThat(store.runTimeFoldedThrough()).contains(Instant.parse("2026-12-06T10:00:00Z"));
    assertThat(store.day("i-2", DAY)).isEmpty();
  }

  @Test
  void aDeposedHoldersWriteIsRefused() {
    store.put(new MeteredInstance("i-1", "111122223333", DAY, DAY));
    // A new holder minted epoch 6; this one still writes under 5.
    mint(6);

    assertThatThrownBy(() -> store.put(new MeteredInstance("i-1", "444455556666", DAY, DAY)))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class);
    assertThat(store.instance("i-1").orElseThrow().accountId()).isEqualTo("111122223333");
    AccountMonth ledger = AccountMonth.empty("111122223333", DECEMBER);
    assertThatThrownBy(() -> store.put(ledger)).as("binary records are fenced too").isInstanceOf(EpochFencedStore.StaleEpochWrite.class);
    assertThatThrownBy(() -> store.putAll(new MeteringWrites().add(ledger).add(InstanceDay.empty("i-1", null, DAY))))
        .isInstanceOf(EpochFencedStore.StaleEpochWrite.class);
    assertThat(store.month("111122223333", DECEMBER)).isEmpty();
    assertThat(store.day("i-1", DAY)).isEmpty();

    epoch.set(6);
    store.putAll(new MeteringWrites().add(ledger).add(InstanceDay.empty("i-1", null, DAY)).runTimeFoldedThrough(Instant.EPOCH));
    assertThat(store.month("111122223333", DECEMBER)).contains(ledger);
    assertThat(store.day("i-1", DAY).orElseThrow().series()).isEmpty();
    assertThat(store.runTimeFoldedThrough()).contains(Instant.EPOCH);
  }

  @Test
  void accountDaysAreBinaryFencedReadWithTheirLedgerAndDeleted() {
    Instant ten = Instant.parse("2026-12-06T10:00:00Z");
    AccountDay sixth = new AccountDay("111122223333", DAY, List.of(new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, ten, 700)));
    AccountMonth ledger = AccountMonth.empty("111122223333", DECEMBER).withQuantities(List.of(
        new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, Instant.parse("2026-12-01T00:00:00Z"), 5)), Instant.EPOCH).month();
    store.putAll(new MeteringWrites().add(sixth).add(ledger));
    store.putAccountDaysSealedThrough(DAY.minusDays(2));

    assertThat(store.accountDay("111122223333", DAY)).contains(sixth);
    assertThat(store.accountDaysSealedThrough()).contains(DAY.minusDays(2));
    assertThat(store.monthWithOpenDays("111122223333", DECEMBER).orElseThrow().rows())
        .extracting(AccountMonth.Row::quantity).containsExactly(5L, 700L);
    assertThat(local.get(SystemMeteringStore.ACCOUNT_DAYS, "111122223333/2026-12-06")).isPresent();

    mint(6);
    assertThatThrownBy(() -> store.put(AccountDay.empty("111122223333", DAY))).isInstanceOf(EpochFencedStore.StaleEpochWrite.class);
    assertThatThrownBy(() -> store.putAccountDaysSealedThrough(DAY)).isInstanceOf(EpochFencedStore.StaleEpochWrite.class);
    epoch.set(6);
    store.deleteAccountDays("111122223333", List.of(DAY, DAY.plusDays(1)));
    assertThat(store.accountDay("111122223333", DAY)).isEmpty();
    assertThat(store.monthWithOpenDays("111122223333", DECEMBER)).contains(ledger);
  }

  @Test
  void hourRecordsAreBinaryFencedKeyedByTheHourAndDeleted() {
    long ten = Instant.parse("2026-12-06T10:00:00Z").getEpochSecond();
    InstanceDay day = InstanceDay.empty("i-1", "111122223333", DAY).merge(List.of(
        new MeteredPoint("i-1", "52:54:00:00:00:01", Metric.RX_BYTES, ten + 10, 7),
        new MeteredPoint("i-1", null, Metric.CPU_NANOS, ten + 3_610, 9)), ten + 3_620).day();
    store.putAll(new MeteringWrites().add(day.hour(ten)).add(day.hour(ten + 3_600))
        .add(MeteredInstance.firstMeteredOn("i-1", "111122223333", DAY)));

    assertThat(local.loadAll(SystemMeteringStore.HOURS)).containsOnlyKeys("i-1/2026-12-06T10", "i-1/2026-12-06T11");
    assertThat(store.hour("i-1", ten).orElseThrow().blocks()).singleElement()
        .satisfies(b -> assertThat(b.metric()).isEqualTo(Metric.RX_BYTES));
    InstanceDay read = store.day("i-1", DAY).orElseThrow();
    assertThat(read.accountId()).isEqualTo("111122223333");
    assertThat(read.hoursMetered()).containsExactly(ten, ten + 3_600);
    assertThat(read.trafficOfHour(ten)).containsEntry(UsageType.NETWORK_IN, 7L);

    mint(6);
    assertThatThrownBy(() -> store.put(day.hour(ten))).isInstanceOf(EpochFencedStore.StaleEpochWrite.class);

    store.deleteHours("i-1", List.of(ten, ten + 3_600, ten + 7_200));
    assertThat(local.loadAll(SystemMeteringStore.HOURS)).isEmpty();
  }
}
