package dev.canopy.cloud.metering.series.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The peer is only a fair comparison if it really encodes the trace: it must read back. */
class GorillaCodecTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(VnicTrace.class)
  void theGorillaPeerReadsBackEveryTrace(VnicTrace trace) {
    long[] seconds = trace.seconds();
    long[] values = trace.values(7);
    seconds[100] += 20; // a gap, and an irregular point, so every delta-of-delta bucket but the widest is used
    for (int i = 101; i < seconds.length; i++) {
      seconds[i] += 30;
    }

    long[][] back = GorillaCodec.decode(GorillaCodec.encode(seconds, values, 0, seconds.length));

    assertThat(back[0]).containsExactly(seconds);
    assertThat(back[1]).containsExactly(values);
  }
}
