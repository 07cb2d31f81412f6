package dev.canopy.deploy.controller;

import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.gridtunnel.GridTunnel;
import dev.canopy.cloud.gridtunnel.MemberAliases;
import dev.canopy.cloud.lease.LeaseConfig;
import dev.canopy.cloud.membership.ControllerSet;
import dev.canopy.cloud.membership.GridMembership;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one controller follow the controller-set record in the grid ({@link GridMembership}): at
 * start and at every new version, its grid tunnel lets in exactly the set's other controllers
 * (forwarders for those of other hosts), its grid member admits exactly the set's members and needs a
 * majority of them, its lease adopts the version (quarantined, docs/paxoslease.md, "Changing the
 * controller set"), and a lease it wins under a version not yet settled settles it. A controller
 * the new version leaves out stops taking part and is told to stop ({@code whenLeft}).
 *
 * <p>Versions are applied one at a time, in order, on a thread of their own: the grid delivers
 * record updates on its event threads, possibly repeated, and applying one touches the grid.
 */
final class MembershipFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipFollower.class);
  private static final java.time.Duration SETTLE_RETRY = java.time.Duration.ofSeconds(2);

  private final int selfId;
  private final GridMembership membership;
  private final Grid grid;
  private final GridTunnel tunnel;
  private final LeadershipPlane leadership;
  private final int gridPort;
  private final int leasePort;
  private final Function<ControllerSet, LeaseConfig> leaseConfigOf;
  private final Runnable whenLeft;
  private final Remember remember;
  private final ScheduledExecutorService applier = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "controller-set-follower");
    thread.setDaemon(true);
    return thread;
  });
  /** The newest version applied; touched on the applier thread only. */
  private long applied = -1;
  /** The newest version this controller has won a lease under, or -1. */
  private volatile long wonUnder = -1;
  private AutoCloseable watch;

  /**
   * @param leaseConfigOf the lease settings of a version of the set (its ids and version, this
   *     controller's timings)
   * @param remember keeps each version followed for the next start ({@link LastControllerSet})
   * @param whenLeft called once, on the applier thread, after this controller has left the set
   */
  MembershipFollower(int selfId, GridMembership membership, Grid grid, GridTunnel tunnel, LeadershipPlane leadership, int gridPort,
      int leasePort, Function<ControllerSet, LeaseConfig> leaseConfigOf, Remember remember, Runnable whenLeft) {
    this.remember = remember;
    this.selfId = selfId;
    this.membership = membership;
    this.grid = grid;
    this.tunnel = tunnel;
    this.leadership = leadership;
    this.gridPort = gridPort;
    this.leasePort = leasePort;
    this.leaseConfigOf = leaseConfigOf;
    this.whenLeft = whenLeft;
  }

  /** Watches first, then applies the record as it is now, so no version slips between the two. */
  MembershipFollower start() {
    leadership.onWonUnder(version -> {
      wonUnder = Math.max(wonUnder, version);
      settle(version, false);
    });
    watch = membership.watch(set -> applier.execute(() -> apply(set)));
    membership.find().ifPresent(set -> applier.execute(() -> apply(set)));
    // A settling write that failed (the grid busy, a partition moving) is tried again: until it
    // lands, every further change is refused as ChangeInProgress.
    applier.scheduleWithFixedDelay(() -> {
      if (wonUnder >= 0) {
        settle(wonUnder, true);
      }
    }, SETTLE_RETRY.toMillis(), SETTLE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void apply(ControllerSet set) {
    if (set.version() <= applied) {
      return;
    }
    applied = set.version();
    try {
      if (!set.controllers().containsKey(selfId)) {
        LOG.warn("controller {} left the controller set (version {}: {}): it stops taking part", selfId, set.version(),
            set.controllers().keySet());
        leadership.follow(set.controllers(), leasePort, leaseConfigOf.apply(set)).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        whenLeft.run();
        return;
      }
      followTunnel(set);
      if (!grid.followControllers(MemberAliases.members(set.controllers().keySet(), gridPort))) {
        LOG.error("controller {} runs its grid member alone and cannot follow controller set version {} {}: restart it with"
            + " every controller in --controllers", selfId, set.version(), set.controllers().keySet());
      }
      leadership.follow(set.controllers(), leasePort, leaseConfigOf.apply(set))
          .onFailure(e -> LOG.error("the lease did not adopt controller set version {}", set.version(), e));
      try {
        remember.keep(set);
      } catch (java.io.IOException e) {
        LOG.warn("controller set version {} not kept for the next start: {}", set.version(), e.toString());
      }
      LOG.info("controller {} follows controller set version {} {}{}", selfId, set.version(), set.controllers().keySet(),
          set.changeInProgress() ? " (settles once a lease is won under it)" : "");
    } catch (Exception e) {
      LOG.error("controller {} could not follow controller set version {}", selfId, set.version(), e);
    }
  }

  /**
   * The tunnel first: a joining controller of another host reaches this member only through it. A
   * layout the tunnel refuses (some controllers on this host, some elsewhere) is logged, and the
   * grid and the lease follow all the same: they must not lag the others' version.
   */
  private void followTunnel(ControllerSet set) {
    try {
      tunnel.follow(set.controllers()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("controller {}'s grid tunnel cannot serve controller set version {} {}: {}", selfId, set.version(),
          set.controllers(), e.getMessage());
    }
  }

  /** A lease won under {@code version}: the holder records that the change to it has settled. */
  private void settle(long version, boolean retry) {
    try {
      ControllerSet current = membership.current();
      if (current.version() == version && current.changeInProgress()) {
        membership.settle(version);
        LOG.info("controller {} won the lease under controller set version {}: the change has settled", selfId, version);
      }
    } catch (RuntimeException e) {
      if (retry) {
        LOG.debug("controller set version {} not marked settled on this retry: {}", version, e.toString());
      } else {
        LOG.warn("controller set version {} not marked settled this time (retried every {} s): {}", version,
            SETTLE_RETRY.toSeconds(), e.toString());
      }
    }
  }

  /** Where a followed version is kept. */
  @FunctionalInterface
  interface Remember {
    void keep(ControllerSet set) throws java.io.IOException;
  }

  /** Ids of the set's controllers whose grid members this member sees (itself included). */
  static Set<Integer> reachable(Grid grid) {
    return grid.memberHosts().stream().map(MemberAliases::idOf).filter(java.util.OptionalInt::isPresent)
        .map(java.util.OptionalInt::getAsInt).collect(java.util.stream.Collectors.toSet());
  }

  @Override
  public void close() {
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        LOG.debug("the controller-set watch did not close: {}", e.toString());
      }
    }
    applier.shutdownNow();
  }
}
