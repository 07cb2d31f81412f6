package dev.canopy.cloud.hostsapi;

import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.QueryValues;
import dev.canopy.cloud.hostmetrics.HostGraph;
import dev.canopy.cloud.hostmetrics.HostSeries;
import io.vertx.core.MultiMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The window of a metrics request: {@code from} and {@code to} as epoch seconds or ISO-8601
 * instants ({@code to} defaults to now, {@code from} to an hour before {@code to}), {@code step} in
 * whole seconds, a multiple of the agents' 10 s (default: the window in at most
 * {@value #DEFAULT_PERIODS} periods), and {@code metric}, a comma list of {@link HostSeries#GROUPS}
 * (default all). Anything else is 400 {@code InvalidParameterValue}.
 */
record MetricsWindow(long from, long to, long step, Set<String> groups) {

  static final long DEFAULT_PERIODS = 360;
  static final long SAMPLE_SECONDS = 10;
  static final long STEP_SECONDS_MAX = 86_400;
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");

  static MetricsWindow parse(MultiMap params, long now) {
    long to = params.get("to") == null ? now : QueryValues.epochSecond(params.get("to"), "to");
    long from = params.get("from") == null ? Math.max(0, to - 3_600) : QueryValues.epochSecond(params.get("from"), "from");
    if (from >= to) {
      throw ApiError.invalidParameter("from must be before to");
    }
    long step;
    String stepText = params.get("step");
    if (stepText == null) {
      long raw = (to - from + DEFAULT_PERIODS - 1) / DEFAULT_PERIODS;
      step = Math.min(STEP_SECONDS_MAX, Math.max(SAMPLE_SECONDS, (raw + SAMPLE_SECONDS - 1) / SAMPLE_SECONDS * SAMPLE_SECONDS));
    } else {
      if (!SECONDS.matcher(stepText).matches()) {
        throw ApiError.invalidParameter("step must be whole seconds, got " + QueryValues.shown(stepText));
      }
      step = Long.parseLong(stepText);
      if (step < SAMPLE_SECONDS || step > STEP_SECONDS_MAX || step % SAMPLE_SECONDS != 0) {
        throw ApiError.invalidParameter("step must be a multiple of " + SAMPLE_SECONDS + " s up to " + STEP_SECONDS_MAX + " s, got " + step);
      }
    }
    long periods = (to - from + step - 1) / step + 1;
    if (periods > HostGraph.PERIODS_MAX) {
      throw ApiError.invalidParameter("from-to at step " + step + " s is " + periods + " periods; at most " + HostGraph.PERIODS_MAX
          + " per answer: use a larger step or a shorter window");
    }
    Set<String> groups = new LinkedHashSet<>();
    String metric = params.get("metric");
    for (String name : metric == null || metric.isBlank() ? HostSeries.GROUPS : List.of(metric.split(",", -1))) {
      if (!HostSeries.GROUPS.contains(name)) {
        throw ApiError.invalidParameter("metric must be a comma list of " + HostSeries.GROUPS + ", got " + QueryValues.shown(metric));
      }
      groups.add(name);
    }
    return new MetricsWindow(from, to, step, groups);
  }
}
