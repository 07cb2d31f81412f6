package dev.canopy.cloud.eventsapi;

/**
 * Server-Sent Events framing (WHATWG HTML, "Server-sent events"): fields {@code id}, {@code event}
 * and {@code data}, one per line, an empty line ending the event; a line starting with a colon is
 * a comment, which keeps a connection open through proxies without dispatching anything.
 */
public final class SseFrames {

  private SseFrames() {}

  /**
   * One event. Line breaks in {@code data} become separate {@code data:} lines (the client joins them
   * again with newlines); {@code id} and {@code type} must have none.
   *
   * @param id the event's id, which the client sends back as {@code Last-Event-ID}; null for none
   *     (the client's last id then stays what it was)
   */
  public static String event(String id, String type, String data) {
    StringBuilder frame = new StringBuilder();
    if (id != null) {
      frame.append("id: ").append(singleLine(id, "id")).append('\n');
    }
    frame.append("event: ").append(singleLine(type, "type")).append('\n');
    for (String line : data.split("\r\n|\r|\n", -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    return frame.append('\n').toString();
  }

  /** A comment line: ignored by the client, it only keeps the connection alive. */
  public static String comment(String text) {
    return ": " + singleLine(text, "comment") + "\n\n";
  }

  /** How long the client waits before reconnecting after the connection drops, in milliseconds. */
  public static String retry(long millis) {
    return "retry: " + millis + "\n\n";
  }

  private static String singleLine(String value, String what) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("an event's " + what + " cannot span lines");
    }
    return value;
  }
}
