package dev.canopy.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SystemTimeTest {

  @Test
  void readsTheJvmClocks() {
    Time time = SystemTime.INSTANCE;
    long before = time.nanoTime();
    Instant wall = time.instant();
    assertThat(time.nanoTime() - before).isNotNegative();
    assertThat(Duration.between(wall, Instant.ofEpochMilli(time.millis())).abs()).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void aZeroOrNegativeSleepReturnsAtOnce() throws InterruptedException {
    SystemTime.INSTANCE.sleep(Duration.ZERO);
    SystemTime.INSTANCE.sleep(Duration.ofSeconds(-5));
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertThat(Durations.text(Duration.ofMillis(250))).isEqualTo("250 ms");
    assertThat(Durations.text(Duration.ofSeconds(15))).isEqualTo("15 s");
    assertThat(Durations.text(Duration.ofMillis(2500))).isEqualTo("2.5 s");
  }
}
