package dev.canopy.deploy.controller;

import dev.canopy.cloud.agents.NodeRecord;
import dev.canopy.cloud.agents.NodeRegistry;
import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.cloud.agents.NodeState;
import dev.canopy.cloud.compute.InstanceService;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the lease holder, every heartbeat interval: instances follow their node's availability (impaired while it is
 * silent, never dropped) and the domains it reports (lost acks, guests that stopped on their
 * own); every minute, terminated instances older than an hour are purged. Runs on a worker; a
 * failure is logged and the next tick tries again, since each step is idempotent.
 */
public final class ReconcileLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
  private static final int PURGE_EVERY_TICKS = 12;

  private final Vertx vertx;
  private final NodeRegistry registry;
  private final InstanceService instances;
  private final Leadership leadership;
  private long timerId = -1;
  private long ticks;

  ReconcileLoop(Vertx vertx, NodeRegistry registry, InstanceService instances, Leadership leadership) {
    this.vertx = vertx;
    this.registry = registry;
    this.instances = instances;
    this.leadership = leadership;
  }

  void start(Duration interval) {
    timerId = vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(() -> {
      tick();
      return null;
    }, false).onFailure(e -> LOG.warn("reconciliation pass failed; the next one retries", e)));
  }

  /** Leader work: a controller that does not hold the lease leaves instances alone. */
  void tick() {
    if (!leadership.isLeader()) {
      return;
    }
    for (NodeRecord node : registry.list()) {
      boolean available = node.state() == NodeState.AVAILABLE;
      instances.nodeAvailability(node.nodeId(), available);
      if (available) {
        instances.reconcile(node.nodeId(), node.domains(), node.lastHeartbeat());
      }
    }
    if (++ticks % PURGE_EVERY_TICKS == 0) {
      instances.purgeExpired();
    }
  }

  @Override
  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }
}
