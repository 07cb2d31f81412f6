package dev.canopy.cloud.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.billing.UsageType;
import dev.canopy.cloud.metering.series.Metric;
import dev.canopy.cloud.metering.usage.AccountDay;
import dev.canopy.cloud.metering.usage.AccountMonth;
import dev.canopy.cloud.metering.usage.InstanceDay;
import dev.canopy.cloud.metering.usage.InstanceHour;
import dev.canopy.cloud.metering.usage.MeteredPoint;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binary instance-day, ledger and account-day records read back equal to what was written, and refuse damage. */
class MeteringRecordsTest {

  private static final LocalDate DAY = LocalDate.of(2026, 12, 6);
  private static final Instant TEN = Instant.parse("2026-12-06T10:00:00Z");

  private static InstanceDay day() {
    long ten = TEN.getEpochSecond();
    return InstanceDay.empty("i-1", null, DAY).merge(List.of(
        new MeteredPoint("i-1", "52:54:00:00:00:01", Metric.RX_BYTES, ten + 10, Long.MAX_VALUE),
        new MeteredPoint("i-1", "52:54:00:00:00:01", Metric.RX_BYTES, ten + 3_610, 0),
        new MeteredPoint("i-1", null, Metric.CPU_NANOS, ten + 10, 5)), ten + 20).day();
  }

  private static AccountMonth ledger() {
    // Rows out of the ledger's usual order, a row of a type with an instance type, and adjustments.
    return new AccountMonth("111122223333", YearMonth.of(2026, 11), Instant.parse("2026-12-03T00:00:00.123456789Z"),
        List.of(new AccountMonth.Row("i-2", UsageType.NETWORK_OUT, null, Instant.parse("2026-11-30T23:00:00Z"), Long.MAX_VALUE),
            new AccountMonth.Row("i-1", UsageType.INSTANCE_SECONDS, "c1.small", Instant.parse("2026-11-01T00:00:00Z"), 3_600),
            new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, Instant.parse("2026-11-01T00:00:00Z"), 0)),
        List.of(new AccountMonth.Adjustment("i-2", UsageType.NETWORK_OUT, null, Instant.parse("2026-11-30T23:00:00Z"), 7,
            Instant.parse("2026-12-05T01:02:03Z")),
            new AccountMonth.Adjustment("i-3", UsageType.NETWORK_IN, null, Instant.parse("2026-11-02T05:00:00Z"), 1,
                Instant.parse("2026-12-05T01:02:04Z"))));
  }

  private static AccountDay accountDay() {
    // Rows out of order, one with an instance type, the day's first and last hours, the largest quantity.
    return new AccountDay("111122223333", DAY, List.of(
        new AccountMonth.Row("i-2", UsageType.NETWORK_OUT, null, Instant.parse("2026-12-06T23:00:00Z"), Long.MAX_VALUE),
        new AccountMonth.Row("i-1", UsageType.INSTANCE_SECONDS, "c1.small", Instant.parse("2026-12-06T00:00:00Z"), 3_600),
        new AccountMonth.Row("photos", UsageType.REQUESTS_TIER1, null, TEN, 0)));
  }

  @Test
  void anAccountDayReadsBackEqualAndIsSmall() {
    AccountDay day = accountDay();
    assertThat(MeteringRecords.decodeAccountDay(MeteringRecords.encode(day))).isEqualTo(day);
    AccountDay empty = AccountDay.empty("a", DAY);
    assertThat(MeteringRecords.decodeAccountDay(MeteringRecords.encode(empty))).isEqualTo(empty);
    // A resource named once, each row a few bytes: 24 hours of traffic in and out of one instance.
    List<AccountMonth.Row> rows = new java.util.ArrayList<>();
    for (int h = 0; h < 24; h++) {
      rows.add(new AccountMonth.Row("i-0123456789abcdef0", UsageType.NETWORK_IN, null, Instant.parse("2026-12-06T00:00:00Z").plusSeconds(3_600L * h), 1_000_000_000L));
    }
    assertThat(MeteringRecords.encode(new AccountDay("111122223333", DAY, rows)).length).isLessThan(64 + 24 * 8);
    assertThatThrownBy(() -> MeteringRecords.encode(new AccountDay("a", DAY,
        List.of(new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, Instant.parse("2026-12-06T10:00:01Z"), 1)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the start of an hour");
  }

  @Test
  void aCutExtendedOtherVersionOrOutOfDayAccountDayIsRefused() {
    byte[] bytes = MeteringRecords.encode(accountDay());
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> MeteringRecords.decodeAccountDay(cut)).as("cut at " + length).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> MeteringRecords.decodeAccountDay(Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("follow");
    byte[] otherVersion = bytes.clone();
    otherVersion[0] = 2;
    assertThatThrownBy(() -> MeteringRecords.decodeAccountDay(otherVersion)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2");
    // The last row's hour of the day (its second-to-last byte: hour, then a one-byte quantity of 0) set to 24.
    byte[] hour24 = bytes.clone();
    hour24[hour24.length - 2] = 24;
    assertThatThrownBy(() -> MeteringRecords.decodeAccountDay(hour24)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hour 24");
  }

  @Test
  void aDayReadsBackWithItsBlocksOwnerAndRollUp() {
    InstanceDay day = day();
    InstanceDay read = MeteringRecords.decodeDay(MeteringRecords.encode(day));
    assertThat(read.instanceId()).isEqualTo("i-1");
    assertThat(read.accountId()).isNull();
    assertThat(read.day()).isEqualTo(DAY);
    assertThat(read.series()).hasSize(2);
    for (int i = 0; i < day.series().size(); i++) {
      InstanceDay.Series s = day.series().get(i);
      InstanceDay.Series r = read.series().get(i);
      assertThat(r.nic()).isEqualTo(s.nic());
      assertThat(r.metric()).isEqualTo(s.metric());
      assertThat(r.hours().keySet()).isEqualTo(s.hours().keySet());
      s.hours().forEach((hour, block) -> assertThat(r.hours().get(hour)).isEqualTo(block));
    }
    InstanceDay rolled = MeteringRecords.decodeDay(MeteringRecords.encode(day.withAccount("acme").rolledUp()));
    assertThat(rolled.isRolledUp()).isTrue();
    assertThat(rolled.accountId()).isEqualTo("acme");
    assertThat(rolled.trafficOfHour(TEN.getEpochSecond())).isEqualTo(day.trafficOfHour(TEN.getEpochSecond()));
  }

  @Test
  void anHourReadsBackWithItsBlocksAndOwnerAndACutOneIsRefused() {
    InstanceDay day = day().withAccount("acme");
    InstanceHour hour = day.hour(TEN.getEpochSecond());
    InstanceHour read = MeteringRecords.decodeHour(MeteringRecords.encode(hour));
    assertThat(read.instanceId()).isEqualTo("i-1");
    assertThat(read.accountId()).isEqualTo("acme");
    assertThat(read.hourStart()).isEqualTo(TEN.getEpochSecond());
    assertThat(read.blocks()).hasSize(2);
    for (int i = 0; i < hour.blocks().size(); i++) {
      assertThat(read.blocks().get(i).nic()).isEqualTo(hour.blocks().get(i).nic());
      assertThat(read.blocks().get(i).metric()).isEqualTo(hour.blocks().get(i).metric());
      assertThat(read.blocks().get(i).bytes()).isEqualTo(hour.blocks().get(i).bytes());
    }
    byte[] bytes = MeteringRecords.encode(hour);
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> MeteringRecords.decodeHour(cut)).as("cut at " + length).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aLedgerReadsBackEqualRowsInTheirOrderAndAdjustments() {
    AccountMonth ledger = ledger();
    assertThat(MeteringRecords.decodeLedger(MeteringRecords.encode(ledger))).isEqualTo(ledger);
    AccountMonth open = AccountMonth.empty("a", YearMonth.of(2026, 12));
    assertThat(MeteringRecords.decodeLedger(MeteringRecords.encode(open))).isEqualTo(open);
    assertThatThrownBy(() -> MeteringRecords.encode(new AccountMonth("a", YearMonth.of(2026, 12), null,
        List.of(new AccountMonth.Row("i-1", UsageType.NETWORK_IN, null, Instant.parse("2026-12-01T00:00:01Z"), 1)), List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the start of an hour");
  }

  @Test
  void aLedgersAdjustmentsAloneReadAsTheWholeLedgersAndRefuseDamageAlike() {
    byte[] ledger = MeteringRecords.encode(ledger());
    assertThat(MeteringRecords.decodeLedgerAdjustments(ledger)).isEqualTo(ledger().adjustments()).hasSize(2);
    assertThat(MeteringRecords.decodeLedgerAdjustments(MeteringRecords.encode(AccountMonth.empty("a", YearMonth.of(2026, 12))))).isEmpty();
    for (int length = 0; length < ledger.length; length++) {
      byte[] cut = Arrays.copyOf(ledger, length);
      assertThatThrownBy(() -> MeteringRecords.decodeLedgerAdjustments(cut)).as("cut at " + length)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> MeteringRecords.decodeLedgerAdjustments(Arrays.copyOf(ledger, ledger.length + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("follow");
  }

  @Test
  void aCutOffExtendedOrOtherVersionRecordIsRefused() {
    byte[] ledger = MeteringRecords.encode(ledger());
    byte[] day = MeteringRecords.encode(day());
    for (int length = 0; length < ledger.length; length++) {
      byte[] cut = Arrays.copyOf(ledger, length);
      assertThatThrownBy(() -> MeteringRecords.decodeLedger(cut)).as("cut at " + length).isInstanceOf(IllegalArgumentException.class);
    }
    for (int length = 0; length < day.length; length++) {
      byte[] cut = Arrays.copyOf(day, length);
      assertThatThrownBy(() -> MeteringRecords.decodeDay(cut)).as("cut at " + length).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> MeteringRecords.decodeLedger(Arrays.copyOf(ledger, ledger.length + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("follow");
    byte[] otherVersion = ledger.clone();
    otherVersion[0] = 2;
    assertThatThrownBy(() -> MeteringRecords.decodeLedger(otherVersion)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2");
  }
}
