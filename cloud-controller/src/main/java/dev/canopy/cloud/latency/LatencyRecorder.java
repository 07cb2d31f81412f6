package dev.canopy.cloud.latency;

import dev.canopy.cloud.grid.Table;
import dev.canopy.core.time.Time;
import java.util.List;

/**
 * This controller's latency measurements: callers record where things happen (the agent port, the
 * EC2 and console endpoints), and {@link #publish} writes the window's histograms to the grid for
 * every controller to read ({@link #published}). Recording is a lock and an array increment: safe
 * on an event loop.
 */
public final class LatencyRecorder {

  /** Minutes of measurements a ranking looks at. */
  public static final int WINDOW_MINUTES = 5;

  private final String controllerId;
  private final Table<ControllerLatency> table;
  private final Time time;
  private final RollingLatencies window = new RollingLatencies(WINDOW_MINUTES);

  public LatencyRecorder(String controllerId, Table<ControllerLatency> table, Time time) {
    this.controllerId = controllerId;
    this.table = table;
    this.time = time;
  }

  public Time time() {
    return time;
  }

  public String controllerId() {
    return controllerId;
  }

  /** A heartbeat ping to {@code nodeId} answered after {@code nanos}. */
  public void heartbeat(String nodeId, long nanos) {
    window.record("hb/" + nodeId, nanos / 1e6, time.millis());
  }

  /** A heartbeat ping to {@code nodeId} that got no answer before the next heartbeat. */
  public void pingLost(String nodeId) {
    window.record("lost/" + nodeId, 0, time.millis());
  }

  /** A command to {@code nodeId} acked after {@code nanos}. */
  public void command(String nodeId, long nanos) {
    window.record("cmd/" + nodeId, nanos / 1e6, time.millis());
  }

  /** A request to {@code api} ({@code ec2}, {@code console}) from {@code clientAddress} answered after {@code nanos}. */
  public void api(String api, String clientAddress, long nanos) {
    window.record("api/" + api + "/" + ClientNetworks.of(clientAddress), nanos / 1e6, time.millis());
  }

  /** Blocking (a grid write): publishes this controller's window. */
  public void publish() {
    table.put(controllerId, ControllerLatency.of(controllerId, time.millis(), window.snapshot(time.millis())));
  }

  /** Blocking (a grid read): what every controller published. */
  public List<ControllerLatency> published() {
    return table.values(any -> true);
  }
}
