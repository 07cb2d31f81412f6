package dev.canopy.cloud.instancehours;

import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.Tables;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The grid table of {@link RunTime}s, one per instance, written by the lease holder (the controller
 * wires a fenced table, like the instance records'). Not purged with the instance: an interval is
 * dropped {@link #ENDED_INTERVALS_KEPT} after it ended, and a record with none left goes with it.
 */
public final class RunTimes {

  /** The grid map (and durable namespace) of run times by instance id. */
  public static final String MAP = "instance-run-times";
  /** Longer than a year, so last year's bills can still be made again (AWS keeps 13 months of usage). */
  public static final Duration ENDED_INTERVALS_KEPT = Duration.ofDays(400);
  /** Pruning reads every record: once an hour is plenty for a retention counted in days. */
  static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

  private final Table<RunTime> table;
  /** When this controller last pruned; in memory, so a new holder prunes at its first chance. */
  private volatile Instant prunedAt;

  public RunTimes(Table<RunTime> table) {
    this.table = table;
  }

  /**
   * Records the instance's latest interval (see {@link RunTime#with}); idempotent, and writes
   * nothing when the interval is already known.
   */
  public void record(String instanceId, String accountId, RunInterval latest) {
    for (int attempt = 0; attempt < Tables.ATTEMPTS_MAX; attempt++) {
      Optional<RunTime> current = table.get(instanceId);
      if (current.isEmpty()) {
        if (table.putIfAbsent(instanceId, RunTime.first(instanceId, accountId, latest))) {
          return;
        }
      } else if (Tables.update(table, instanceId, r -> r.with(latest)).isPresent()) {
        return;
      }
      // Created or pruned away between the read and the write: decide again.
    }
    throw new IllegalStateException("the run time of " + instanceId + " was created and removed " + Tables.ATTEMPTS_MAX
        + " times in a row");
  }

  public Optional<RunTime> of(String instanceId) {
    return table.get(instanceId);
  }

  public List<RunTime> all() {
    return table.values(r -> true);
  }

  /**
   * Drops intervals that ended more than {@link #ENDED_INTERVALS_KEPT} before {@code now}, at most
   * once per {@link #PRUNE_INTERVAL}.
   *
   * @return how many records changed (0 when it was not due)
   */
  public int pruneWhenDue(Instant now) {
    Instant last = prunedAt;
    if (last != null && now.isBefore(last.plus(PRUNE_INTERVAL))) {
      return 0;
    }
    Instant cutoff = now.minus(ENDED_INTERVALS_KEPT);
    List<RunTime> due = table.values(r -> r.withoutEndedBefore(cutoff) != r);
    for (RunTime r : due) {
      Optional<RunTime> left = Tables.update(table, r.instanceId(), x -> x.withoutEndedBefore(cutoff));
      // Nothing is recorded for an instance gone that long, so removing the empty record races nothing.
      if (left.isPresent() && left.get().intervals().isEmpty()) {
        table.remove(r.instanceId());
      }
    }
    prunedAt = now;
    return due.size();
  }
}
