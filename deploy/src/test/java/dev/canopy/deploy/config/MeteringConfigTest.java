package dev.canopy.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code metering:} section: defaults, the aggregator's settings from it, each refusal named. */
class MeteringConfigTest {

  @TempDir Path dir;

  private CanopyConfig load(String yaml) throws Exception {
    return ConfigLoaderTest.loadIn(dir, yaml);
  }

  @Test
  void withoutASectionRawPointsAreKept30DaysAndAMonthClosesTwoDaysAfterItEnds() throws Exception {
    var settings = load("").metering().aggregatorSettings();
    assertThat(settings.rawRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(settings.monthCloseGrace()).isEqualTo(Duration.ofHours(48));
    assertThat(load("").metering().batchesPerPass()).isEqualTo(2_000);
  }

  @Test
  void thePassSizeIsAKey() throws Exception {
    assertThat(load("metering:\n  batchesPerPass: 10000\n").metering().batchesPerPass()).isEqualTo(10_000);
    assertThatThrownBy(() -> load("metering:\n  batchesPerPass: 0\n")).hasMessageContaining("metering.batchesPerPass");
    assertThatThrownBy(() -> load("metering:\n  batchesPerPass: 20001\n")).hasMessageContaining("metering.batchesPerPass");
  }

  @Test
  void givenValuesReachTheAggregator() throws Exception {
    var settings = load("""
        metering:
          rawRetentionDays: 90
          monthCloseGraceHours: 0
        """).metering().aggregatorSettings();
    assertThat(settings.rawRetention()).isEqualTo(Duration.ofDays(90));
    assertThat(settings.monthCloseGrace()).isZero();
  }

  @Test
  void outOfRangeValuesNameTheirKey() {
    assertThatThrownBy(() -> load("metering:\n  rawRetentionDays: 0\n")).hasMessageContaining("metering.rawRetentionDays");
    assertThatThrownBy(() -> load("metering:\n  monthCloseGraceHours: 800\n")).hasMessageContaining("metering.monthCloseGraceHours");
    assertThatThrownBy(() -> load("metering:\n  monthCloseGraceHours: -1\n")).hasMessageContaining("metering.monthCloseGraceHours");
  }

  @Test
  void bucketsAreMeasuredHourlyAndPushedEveryTenSecondsUnlessTold() throws Exception {
    CanopyConfig defaults = load("");
    assertThat(defaults.metering().bucketStorageInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(defaults.s3().usageFlushSeconds()).isEqualTo(10);
    CanopyConfig told = load("s3:\n  usageFlushSeconds: 1\nmetering:\n  bucketStorageIntervalMinutes: 1\n");
    assertThat(told.metering().bucketStorageInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(told.s3().usageFlushSeconds()).isEqualTo(1);
    assertThatThrownBy(() -> load("metering:\n  bucketStorageIntervalMinutes: 61\n"))
        .hasMessageContaining("metering.bucketStorageIntervalMinutes");
    assertThatThrownBy(() -> load("s3:\n  usageFlushSeconds: 0\n")).hasMessageContaining("s3.usageFlushSeconds");
  }
}
