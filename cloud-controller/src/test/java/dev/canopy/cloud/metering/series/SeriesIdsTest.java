package dev.canopy.cloud.metering.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeriesIdsTest {

  @Test
  void idsAreDenseStableAndSurviveEncoding() {
    SeriesIds ids = new SeriesIds();
    SeriesKey rx = SeriesKey.ofNic("i-0123456789abcdef0", "52:54:00:12:34:56", Metric.RX_BYTES);
    SeriesKey tx = SeriesKey.ofNic("i-0123456789abcdef0", "52:54:00:12:34:56", Metric.TX_BYTES);
    SeriesKey cpu = SeriesKey.ofInstance("i-0123456789abcdef0", Metric.CPU_NANOS);

    assertThat(ids.intern(rx)).isZero();
    assertThat(ids.intern(tx)).isEqualTo(1);
    assertThat(ids.intern(rx)).isZero();
    assertThat(ids.intern(cpu)).isEqualTo(2);

    SeriesIds back = SeriesIds.decode(ids.encode());
    assertThat(back.size()).isEqualTo(3);
    assertThat(back.key(0)).isEqualTo(rx);
    assertThat(back.key(2)).isEqualTo(cpu);
    assertThat(back.intern(tx)).isEqualTo(1);
  }

  @Test
  void aKeyNamesItsVnicExactlyWhenItsMetricIsPerVnic() {
    assertThatThrownBy(() -> SeriesKey.ofInstance("i-1", Metric.RX_BYTES)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SeriesKey.ofNic("i-1", "vnet0", Metric.CPU_NANOS)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTruncatedOrAlteredTableIsRefused() {
    SeriesIds ids = new SeriesIds();
    ids.intern(SeriesKey.ofNic("i-1", "vnet0", Metric.RX_PACKETS));
    byte[] encoded = ids.encode();

    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> SeriesIds.decode(truncated)).isInstanceOf(CorruptSeriesException.class);
    }
    for (int at = 0; at < encoded.length; at++) {
      byte[] altered = encoded.clone();
      altered[at] ^= 0x10;
      assertThatThrownBy(() -> SeriesIds.decode(altered)).isInstanceOf(CorruptSeriesException.class);
    }
  }
}
