package dev.canopy.cloud.instancehours;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An instance's billable run time as the grid keeps it (key: instance id): its intervals in
 * {@code running}, oldest first, never overlapping, only the newest possibly open. Kept after the
 * instance record is purged, so its hours can still be billed.
 *
 * <p>Changed only through {@link #with}, which is idempotent and ignores stale news: applying the
 * same transition twice (a new lease holder repeating what the old one recorded), or an older one
 * after a newer, changes nothing. So no interval is lost or doubled whoever applies it, and in
 * whatever order.
 */
public record RunTime(String instanceId, String accountId, List<RunInterval> intervals) {

  public RunTime {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(accountId, "accountId");
    intervals = List.copyOf(intervals);
    for (int i = 1; i < intervals.size(); i++) {
      RunInterval before = intervals.get(i - 1);
      if (before.isOpen() || intervals.get(i).start().isBefore(before.end())) {
        throw new IllegalArgumentException("run intervals of " + instanceId + " overlap: " + before + ", " + intervals.get(i));
      }
    }
  }

  /** The record of an instance whose first interval is {@code first}. */
  public static RunTime first(String instanceId, String accountId, RunInterval first) {
    return new RunTime(instanceId, accountId, List.of(first));
  }

  /**
   * This record with the instance's latest interval as its instance record shows it: entering
   * running at T opens an interval at T unless one starting at T is known; leaving running closes
   * the open interval that started then. News older than what is known changes nothing.
   *
   * <p>Only a lost write of the instance's earlier exit from running leaves an interval open when a
   * newer one starts: it is closed where the newer one starts, the latest instant it can have ended.
   *
   * @return this very record when nothing changes (so a caller writes nothing)
   */
  public RunTime with(RunInterval latest) {
    for (int i = intervals.size() - 1; i >= 0; i--) {
      RunInterval known = intervals.get(i);
      if (known.start().equals(latest.start())) {
        return known.isOpen() && !latest.isOpen() ? replacingLast(known.closedAt(latest.end())) : this;
      }
    }
    if (intervals.isEmpty()) {
      return first(instanceId, accountId, latest);
    }
    RunInterval last = intervals.get(intervals.size() - 1);
    if (last.isOpen()) {
      return last.start().isBefore(latest.start()) ? replacingLast(last.closedAt(latest.start())).appending(latest) : this;
    }
    return latest.start().isBefore(last.end()) ? this : appending(latest);
  }

  /**
   * This record without the intervals that ended before {@code cutoff}; this very record when
   * there are none.
   */
  public RunTime withoutEndedBefore(Instant cutoff) {
    List<RunInterval> kept = intervals.stream().filter(i -> i.isOpen() || !i.end().isBefore(cutoff)).toList();
    return kept.size() == intervals.size() ? this : new RunTime(instanceId, accountId, kept);
  }

  private RunTime replacingLast(RunInterval replacement) {
    List<RunInterval> changed = new ArrayList<>(intervals);
    changed.set(changed.size() - 1, replacement);
    return new RunTime(instanceId, accountId, changed);
  }

  private RunTime appending(RunInterval next) {
    List<RunInterval> changed = new ArrayList<>(intervals);
    changed.add(next);
    return new RunTime(instanceId, accountId, changed);
  }
}
