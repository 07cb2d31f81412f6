package dev.canopy.cloud.instancehours;

import dev.canopy.cloud.billing.HourlyUsage;
import dev.canopy.cloud.billing.UsageType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Run intervals as billable {@link UsageType#INSTANCE_SECONDS}: per instance, instance type and UTC
 * hour. Pure.
 *
 * <p>Exact by construction: an interval's edges count to the whole second (truncated), and hours
 * start on whole seconds, so an interval of n seconds splits into hourly pieces that add up to
 * exactly n; an open interval counts up to {@code now}. Intervals of one instance never overlap
 * ({@link RunTime}), so nothing is counted twice. An hour with no second gives no row.
 */
public final class InstanceSeconds {

  private static final Duration HOUR = Duration.ofHours(1);

  private InstanceSeconds() {}

  /**
   * @param fromHourInclusive and {@code toHourExclusive}: whole UTC hours, the first not after the second
   * @param now where open intervals end
   * @param tagsOf an instance's tags by account and instance id (empty when unknown)
   * @return rows ordered by hour, account, instance and instance type
   */
  public static List<HourlyUsage> hours(Collection<RunTime> runTimes, Instant fromHourInclusive, Instant toHourExclusive,
      Instant now, BiFunction<String, String, Map<String, String>> tagsOf) {
    checkHour(fromHourInclusive);
    checkHour(toHourExclusive);
    if (toHourExclusive.isBefore(fromHourInclusive)) {
      throw new IllegalArgumentException("hours from " + fromHourInclusive + " to " + toHourExclusive + " run backwards");
    }
    Map<Line, Long> seconds = new TreeMap<>();
    for (RunTime runTime : runTimes) {
      for (RunInterval interval : runTime.intervals()) {
        Instant start = latest(interval.start().truncatedTo(ChronoUnit.SECONDS), fromHourInclusive);
        Instant end = earliest((interval.isOpen() ? now : interval.end()).truncatedTo(ChronoUnit.SECONDS), toHourExclusive);
        for (Instant hour = start.truncatedTo(ChronoUnit.HOURS); hour.isBefore(end); hour = hour.plus(HOUR)) {
          long inHour = Duration.between(latest(start, hour), earliest(end, hour.plus(HOUR))).getSeconds();
          if (inHour > 0) {
            seconds.merge(new Line(hour, runTime.accountId(), runTime.instanceId(), interval.instanceType()), inHour, Math::addExact);
          }
        }
      }
    }
    Map<String, Map<String, String>> tags = new HashMap<>();
    List<HourlyUsage> rows = new ArrayList<>(seconds.size());
    seconds.forEach((line, count) -> rows.add(new HourlyUsage(line.accountId(), line.instanceId(), UsageType.INSTANCE_SECONDS,
        line.instanceType(), line.hour(), count,
        tags.computeIfAbsent(line.instanceId(), id -> tagsOf.apply(line.accountId(), id)))));
    return rows;
  }

  private static void checkHour(Instant hour) {
    if (!hour.truncatedTo(ChronoUnit.HOURS).equals(hour)) {
      throw new IllegalArgumentException("not a whole UTC hour: " + hour);
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private record Line(Instant hour, String accountId, String instanceId, String instanceType) implements Comparable<Line> {
    private static final Comparator<Line> ORDER = Comparator.comparing(Line::hour).thenComparing(Line::accountId)
        .thenComparing(Line::instanceId).thenComparing(Line::instanceType);

    @Override
    public int compareTo(Line other) {
      return ORDER.compare(this, other);
    }
  }
}
