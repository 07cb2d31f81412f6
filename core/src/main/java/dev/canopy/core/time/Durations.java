package dev.canopy.core.time;

import java.time.Duration;

/** Durations as people read them in messages: "250 ms", "15 s", "2.5 s". */
public final class Durations {

  private Durations() {}

  public static String text(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.3f s", millis / 1000.0)
        .replaceAll("0+ s$", " s");
  }
}
