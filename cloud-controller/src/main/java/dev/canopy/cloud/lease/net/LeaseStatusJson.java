package dev.canopy.cloud.lease.net;

import java.util.stream.Collectors;

/**
 * The body of {@code GET /lease}: exactly {@code {"holder": <id or null>, "epoch": n,
 * "remainingMs": n|null, "acceptors": [ids], "quarantineMs": n}}. Every value is a number or null, so the text is
 * built directly and needs no escaping.
 */
public final class LeaseStatusJson {

  private LeaseStatusJson() {}

  public static String render(LeaseStatus status) {
    String acceptors = status.acceptorsReachable().stream().map(String::valueOf).collect(Collectors.joining(", "));
    return "{\"holder\": " + status.holder()
        + ", \"epoch\": " + status.epoch()
        + ", \"remainingMs\": " + status.remainingMs()
        + ", \"acceptors\": [" + acceptors + "]"
        + ", \"quarantineMs\": " + status.quarantineMs() + "}";
  }
}
