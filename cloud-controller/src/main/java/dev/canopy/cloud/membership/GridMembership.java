package dev.canopy.cloud.membership;

import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.Tables;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The membership record in a durable grid table (one key): seeded once from cluster.json, changed
 * only by compare-and-set, so two operators' changes at once cannot both apply (the second is
 * recomputed against the first and, the first not yet settled, refused as ChangeInProgress).
 */
public final class GridMembership {

  /** The grid map (and durable namespace) of the record. */
  public static final String MAP = "controller-membership";
  static final String KEY = "current";

  private final Table<ControllerSet> table;
  private final Supplier<Set<Integer>> reachable;

  /** @param reachable the controller ids whose grid members this controller sees now */
  public GridMembership(Table<ControllerSet> table, Supplier<Set<Integer>> reachable) {
    this.table = table;
    this.reachable = reachable;
  }

  /**
   * The record, written from {@code seed} (the controllers' --controllers, version 0) if no
   * controller has written it yet: after the first start the record wins over cluster.json.
   */
  public ControllerSet seedIfAbsent(ControllerSet seed) {
    table.putIfAbsent(KEY, seed);
    return current();
  }

  public ControllerSet current() {
    return find().orElseThrow(GridMembership::notSeeded);
  }

  public Optional<ControllerSet> find() {
    return table.get(KEY);
  }

  /** Ids of the current set's controllers that are reachable now. */
  public Set<Integer> reachable() {
    return Set.copyOf(reachable.get());
  }

  public ControllerSet join(int id, String address) {
    return change(set -> MembershipChanges.join(set, id, address, reachable.get()));
  }

  public ControllerSet leave(int id) {
    return change(set -> MembershipChanges.leave(set, id, reachable.get()));
  }

  /** The lease holder reports a lease won under {@code version}: the change to it has settled. */
  public void settle(long version) {
    change(set -> set.settledAt(version));
  }

  /** Calls {@code listener} with every new version of the record (from any controller). */
  public AutoCloseable watch(Consumer<ControllerSet> listener) {
    return table.watch((key, set) -> {
      if (KEY.equals(key) && set != null) {
        listener.accept(set);
      }
    });
  }

  private ControllerSet change(UnaryOperator<ControllerSet> rule) {
    return Tables.update(table, KEY, rule).orElseThrow(GridMembership::notSeeded);
  }

  private static MembershipRefused notSeeded() {
    return new MembershipRefused(503, "ServiceUnavailable", "the controller set has not been seeded yet: retry");
  }
}
