package dev.canopy.images.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a download may take and how long it waits between attempts, and which settings are refused. */
class ImageCacheSettingsTest {

  private static final Path DIR = Path.of("/var/lib/canopy/images");

  @Test
  void anAttemptMayTakeTheHeaderWaitPlusTheSlowestTolerableTransfer() {
    ImageCacheSettings settings = ImageCacheSettings.defaults(DIR, 1L << 40)
        .withTimeouts(Duration.ofSeconds(30), 1L << 20);

    assertThat(settings.attemptTimeout(0)).isEqualTo(Duration.ofMillis(30_001));
    assertThat(settings.attemptTimeout(10L << 20)).isEqualTo(Duration.ofMillis(40_001));
    // A part of a second's worth still counts: 1.5 MiB at 1 MiB/s is 1.5 s.
    assertThat(settings.attemptTimeout(3L << 19)).isEqualTo(Duration.ofMillis(31_501));
  }

  @Test
  void aHugeObjectDoesNotOverflowItsTimeout() {
    ImageCacheSettings settings = ImageCacheSettings.defaults(DIR, Long.MAX_VALUE)
        .withTimeouts(Duration.ofSeconds(1), 1L << 20);

    // 32 PiB: its size times 1000 overflows a long, its transfer time in ms does not.
    assertThat(settings.attemptTimeout(1L << 55)).isEqualTo(Duration.ofMillis((1L << 35) * 1000 + 1001));
  }

  @Test
  void theBackoffDoublesAfterEachFailedAttempt() {
    ImageCacheSettings settings = ImageCacheSettings.defaults(DIR, 1).withRetries(5, Duration.ofMillis(250));

    assertThat(settings.backoffBefore(2)).isEqualTo(Duration.ofMillis(250));
    assertThat(settings.backoffBefore(3)).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.backoffBefore(4)).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.backoffBefore(5)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theDefaultsAreThreeAttemptsOneThenTwoSecondsApart() {
    ImageCacheSettings settings = ImageCacheSettings.defaults(DIR, 1);

    assertThat(settings.maxAttempts()).isEqualTo(3);
    assertThat(settings.backoffBefore(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.backoffBefore(3)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void settingsThatCannotWorkAreRefusedNamingTheSetting() {
    ImageCacheSettings ok = ImageCacheSettings.defaults(DIR, 1);
    assertThatThrownBy(() -> ImageCacheSettings.defaults(DIR, 0)).hasMessageContaining("maxBytes");
    assertThatThrownBy(() -> ok.withRetries(0, Duration.ZERO)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> ok.withRetries(ImageCacheSettings.ATTEMPTS_MAX + 1, Duration.ZERO))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> ok.withRetries(2, Duration.ofSeconds(-1))).hasMessageContaining("backoffBase");
    assertThatThrownBy(() -> ok.withTimeouts(Duration.ZERO, 1)).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> ok.withTimeouts(Duration.ofSeconds(1), 0)).hasMessageContaining("minBytesPerSecond");
    assertThatThrownBy(() -> ImageCacheSettings.defaults(null, 1)).hasMessageContaining("dir");
  }

  @Test
  void theMostAttemptsAndNoBackoffAreAccepted() {
    ImageCacheSettings settings = ImageCacheSettings.defaults(DIR, 1)
        .withRetries(ImageCacheSettings.ATTEMPTS_MAX, Duration.ZERO);

    assertThat(settings.maxAttempts()).isEqualTo(ImageCacheSettings.ATTEMPTS_MAX);
    assertThat(settings.backoffBefore(ImageCacheSettings.ATTEMPTS_MAX)).isZero();
  }
}
