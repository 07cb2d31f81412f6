package dev.canopy.cloud.usageapi;

import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.QueryValues;
import dev.canopy.cloud.metering.usage.Step;
import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The range and step of a series request: {@code from} and {@code to} as ISO-8601 instants or epoch
 * seconds, to the second ({@code to} defaults to now, {@code from} to an hour before {@code to}, never
 * before 1970), {@code step} in seconds, one of {@link Step} (default a minute). Points stamped in
 * {@code (from, to]} count.
 */
record SeriesRange(long fromSecond, long toSecond, Step step) {

  /** Bounds what one answer holds (and what one request makes the store read): widen the step for more. */
  static final long PERIODS_PER_ANSWER_MAX = 10_000;
  static final long RANGE_SECONDS_DEFAULT = 3_600;
  static final Step STEP_DEFAULT = Step.MINUTE;
  private static final Pattern STEP_SECONDS = Pattern.compile("[0-9]{1,6}");

  static SeriesRange parse(MultiMap params, long nowSecond) {
    long to = params.get("to") == null ? nowSecond : QueryValues.epochSecond(params.get("to"), "to");
    long from = params.get("from") == null ? Math.max(0, to - RANGE_SECONDS_DEFAULT) : QueryValues.epochSecond(params.get("from"), "from");
    if (from >= to) {
      throw ApiError.invalidParameter("from must be before to");
    }
    Step step = step(params.get("step"));
    long periods = (step.periodStart(to) - step.periodStart(from + 1)) / step.seconds() + 1;
    if (periods > PERIODS_PER_ANSWER_MAX) {
      throw ApiError.invalidParameter("from-to at step " + step.seconds() + " s is " + periods + " periods; at most "
          + PERIODS_PER_ANSWER_MAX + " per answer: use a larger step or a shorter range");
    }
    return new SeriesRange(from, to, step);
  }


  private static Step step(String value) {
    if (value == null) {
      return STEP_DEFAULT;
    }
    return (STEP_SECONDS.matcher(value).matches() ? Step.ofSeconds(Long.parseLong(value)) : java.util.Optional.<Step>empty())
        .orElseThrow(() -> ApiError.invalidParameter("step must be one of "
            + Arrays.stream(Step.values()).map(s -> Long.toString(s.seconds())).toList() + " seconds, got " + QueryValues.shown(value)));
  }
}
