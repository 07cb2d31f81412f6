package dev.canopy.cloud.compute;

import dev.canopy.cloud.grid.IndexCondition;
import dev.canopy.cloud.grid.IndexedAttributes;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.Tables;
import dev.canopy.cloud.instancehours.RunTimes;
import dev.canopy.cloud.resources.ResourceIds;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.function.UnaryOperator;

/**
 * The instances table with the account scoping every read goes through, and the one place instance
 * records are written: so also where each instance's run time is recorded, from the record that
 * landed ({@link Instance#lastRun}).
 */
final class InstanceStore {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceStore.class);

  /** The grid map of instances by id. */
  static final String MAP = IndexedAttributes.INSTANCES_MAP;
  /** EC2 keeps terminated instances visible for about an hour. */
  static final Duration TERMINATED_VISIBLE = Duration.ofHours(1);

  private final Table<Instance> table;
  private final RunTimes runTimes;
  private final InstantSource clock;
  private volatile dev.canopy.cloud.events.EventRecorder events = dev.canopy.cloud.events.EventRecorder.NONE;
  /**
   * When this controller last moved each instance to a new state. A heartbeat sampled before
   * that says nothing about the instance's new state (see {@link Reconciler}). In memory only:
   * after a restart every record counts as unchanged, which is the conservative default.
   */
  private final Map<String, Instant> stateChangedAt = new ConcurrentHashMap<>();

  InstanceStore(Table<Instance> table, RunTimes runTimes, InstantSource clock) {
    this.table = table;
    this.runTimes = runTimes;
    this.clock = clock;
  }

  /** Records each state transition that lands in the event log. */
  void recordTransitionsIn(dev.canopy.cloud.events.EventRecorder recorder) {
    this.events = recorder;
  }

  /**
   * The account's instances with these ids, in request order without duplicates. Another
   * account's instance is NotFound, exactly like one that never existed.
   */
  List<Instance> owned(String accountId, List<String> ids, Instant now) {
    if (ids.size() > InstanceService.IDS_MAX) {
      throw dev.canopy.api.error.Ec2Errors.invalidParameterValue("At most " + InstanceService.IDS_MAX + " instance ids per request");
    }
    for (String id : ids) {
      if (!ResourceIds.isWellFormed("i", id)) {
        throw ComputeErrors.instanceMalformed(id);
      }
    }
    List<Instance> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String id : new LinkedHashSet<>(ids)) {
      Optional<Instance> instance = table.get(id).filter(i -> isVisible(i, accountId, now));
      if (instance.isPresent()) {
        found.add(instance.get());
      } else {
        missing.add(id);
      }
    }
    if (!missing.isEmpty()) {
      throw ComputeErrors.instanceNotFound(missing);
    }
    return found;
  }

  List<Instance> visible(String accountId, Instant now) {
    return table.values(i -> isVisible(i, accountId, now));
  }

  /**
   * Ids of the account's instances in one of {@code states} (null: any) launched from one of
   * {@code imageIds} (null: any), through the grid's indexes where the table keeps them, else by a
   * scan; terminated instances past their hour may be among them (see {@link #visibleAmong}).
   */
  Set<String> idsOwnedBy(String accountId, Set<InstanceState> states, Set<String> imageIds) {
    if ((states != null && states.isEmpty()) || (imageIds != null && imageIds.isEmpty())) {
      return Set.of();
    }
    List<IndexCondition> conditions = new ArrayList<>();
    conditions.add(new IndexCondition(IndexedAttributes.OWNER_ID, Set.of(accountId)));
    if (states != null) {
      conditions.add(new IndexCondition(IndexedAttributes.STATE, states.stream().map(InstanceState::name).collect(Collectors.toSet())));
    }
    if (imageIds != null) {
      conditions.add(new IndexCondition(IndexedAttributes.IMAGE_ID, imageIds));
    }
    return table.keysWhere(conditions).orElseGet(() -> table.values(i -> i.ownerId().equals(accountId)
            && (states == null || states.contains(i.state())) && (imageIds == null || imageIds.contains(i.imageId())))
        .stream().map(Instance::instanceId).collect(Collectors.toSet()));
  }

  /** The records of these ids that the account can see now, by id, read in one call. */
  Map<String, Instance> visibleAmong(String accountId, Collection<String> ids, Instant now) {
    Map<String, Instance> visible = new HashMap<>();
    table.getAll(ids).forEach((id, i) -> {
      if (isVisible(i, accountId, now)) {
        visible.put(id, i);
      }
    });
    return visible;
  }

  /**
   * The records whose launch key lies in {@code range}, by id, through the grid's sorted index and
   * in one query; empty when the table keeps no such index (see {@link LaunchWindows}).
   */
  Optional<Map<String, Instance>> launchedIn(dev.canopy.cloud.grid.IndexRange range) {
    return table.valuesInRange(range);
  }

  /** The records of these ids, whoever owns them: for facts that do not depend on the owner (sort keys). */
  Map<String, Instance> records(Collection<String> ids) {
    return table.getAll(ids);
  }

  List<Instance> everyVisible(java.util.function.Predicate<Instance> filter, Instant now) {
    return table.values(i -> !isExpired(i, now) && filter.test(i));
  }

  /** The account's instances that are placed and not (being) terminated. */
  List<Instance> live(String accountId) {
    return table.values(i -> i.ownerId().equals(accountId)
        && i.state() != InstanceState.TERMINATED && i.state() != InstanceState.SHUTTING_DOWN);
  }

  List<Instance> onNode(String nodeId) {
    return table.values(i -> nodeId.equals(i.nodeId()));
  }

  List<Instance> inReservation(String accountId, String reservationId) {
    return table.values(i -> i.ownerId().equals(accountId) && i.reservationId().equals(reservationId));
  }

  void put(Instance instance) {
    table.put(instance.instanceId(), instance);
    stateChangedAt.put(instance.instanceId(), clock.instant());
    transitioned(null, instance);
  }

  Optional<Instance> update(String instanceId, UnaryOperator<Instance> change) {
    boolean[] stateChanged = new boolean[1];
    boolean[] runChanged = new boolean[1];
    InstanceState[] before = new InstanceState[1];
    Optional<Instance> after = Tables.update(table, instanceId, x -> {
      Instance y = change.apply(x);
      // The change may be retried by the compare-and-set: only the attempt that lands counts.
      stateChanged[0] = y.state() != x.state();
      before[0] = x.state();
      runChanged[0] = !Objects.equals(y.lastRun(), x.lastRun());
      return y;
    });
    if (stateChanged[0] && after.isPresent()) {
      stateChangedAt.put(instanceId, clock.instant());
      transitioned(before[0], after.get());
    }
    if (runChanged[0] && after.isPresent()) {
      recordRunTime(after.get());
    }
    return after;
  }

  /** In the event log with its account, so the tenant reads its own instances' transitions. */
  private void transitioned(InstanceState from, Instance to) {
    java.util.Map<String, String> detail = new java.util.LinkedHashMap<>();
    if (from != null) {
      detail.put("from", from.wireName());
    }
    detail.put("to", to.state().wireName());
    if (to.nodeId() != null) {
      detail.put("node", to.nodeId());
    }
    events.record(dev.canopy.cloud.events.EventTypes.INSTANCE_STATE, to.ownerId(), to.instanceId(), detail);
  }

  /**
   * The instance record has already moved, so a failure here must not fail the caller's request:
   * the next sweep ({@link #recordRunTimes}) records the same interval from the record, at the
   * same instants.
   */
  private void recordRunTime(Instance instance) {
    try {
      runTimes.record(instance.instanceId(), instance.ownerId(), instance.lastRun());
    } catch (RuntimeException e) {
      LOG.warn("{}: its run time was not recorded now ({}); the next sweep records it", instance.instanceId(), e.toString());
    }
  }

  /**
   * Records every instance's latest run interval, writing only where it is missing or still open
   * in the run times: what a write that failed after its instance moved, or a lease holder that stopped
   * between the two, left undone. A running instance whose record predates run times gets an interval
   * from {@code now} ({@link Instance#withRunTimeFrom}). Idempotent.
   */
  void recordRunTimes(Instant now) {
    for (Instance i : table.values(i -> i.state() == InstanceState.RUNNING && i.lastRun() == null)) {
      update(i.instanceId(), x -> x.withRunTimeFrom(now));
    }
    for (Instance i : table.values(i -> i.lastRun() != null)) {
      runTimes.record(i.instanceId(), i.ownerId(), i.lastRun());
    }
  }

  /** True when the instance's state changed at or after {@code instant} (as far as this controller knows). */
  boolean stateChangedSince(String instanceId, Instant instant) {
    Instant changed = stateChangedAt.get(instanceId);
    return changed != null && !changed.isBefore(instant);
  }

  /**
   * Removes terminated instances whose hour of visibility is over (their run times stay, having
   * been recorded first); returns how many. Prunes run times when that is due.
   */
  int purgeExpired(Instant now) {
    recordRunTimes(now);
    runTimes.pruneWhenDue(now);
    List<Instance> expired = table.values(i -> isExpired(i, now));
    expired.forEach(i -> {
      table.remove(i.instanceId());
      stateChangedAt.remove(i.instanceId());
    });
    return expired.size();
  }

  static boolean isVisible(Instance i, String accountId, Instant now) {
    return i.ownerId().equals(accountId) && !isExpired(i, now);
  }

  private static boolean isExpired(Instance i, Instant now) {
    return i.state() == InstanceState.TERMINATED && i.terminatedAt() != null
        && !now.isBefore(i.terminatedAt().plus(TERMINATED_VISIBLE));
  }
}
