package dev.canopy.cloud.consolelogin;

import java.time.Duration;

/**
 * How long a session lasts: {@code idle} after its last use, {@code absolute} after login at most
 * (OWASP's session guidance: both, so a stolen cookie does not live for ever). A use is recorded
 * at most once per {@code touchEvery}, so reading a page is not a durable write each time.
 */
public record SessionLimits(Duration idle, Duration absolute, Duration touchEvery) {
  public static final SessionLimits DEFAULT = new SessionLimits(Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofMinutes(1));
}
