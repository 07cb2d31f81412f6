package dev.canopy.cloud.lease.net;

import dev.canopy.cloud.lease.LeaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Test fixture: one {@link LeaseService} per controller of {@code config}, each with its own real
 * {@link LeaseTransport} on an ephemeral loopback port and certificates from one CA, in one JVM.
 * Addresses are published as the ports are bound. Whether two controllers hold the lease at once
 * is sampled on every holder event of any of them and every millisecond in between; {@link
 * #violations()} lists what was seen.
 */
final class LeaseGroup implements AutoCloseable {

  private final LeaseConfig config;
  private final Map<Integer, PeerAddress> addresses = new ConcurrentHashMap<>();
  /** Concurrent: the sampler reads them while a controller joins. */
  private final Map<Integer, LeaseService> services = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final Map<Integer, LeaseTransport> transports = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final Vertx vertx;
  private final LeaseTestPki pki;
  private final LeaseClocks clocks;
  private final long seed;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private final LongAdder samples = new LongAdder();

  LeaseGroup(Vertx vertx, LeaseTestPki pki, LeaseConfig config, LeaseClocks clocks, long seed) {
    this.config = config;
    this.vertx = vertx;
    this.pki = pki;
    this.clocks = clocks;
    this.seed = seed;
    for (int id : config.ids()) {
      create(id, config);
    }
  }

  private void create(int id, LeaseConfig with) {
    LeaseTransport transport = new LeaseTransport(vertx, TransportSettings.defaults(with, id, "127.0.0.1", 0),
        with.configHash(), pki.controller(id), pki.caCertificate(), InstantSource.system(),
        peer -> Optional.ofNullable(addresses.get(peer)));
    LeaseService service = new LeaseService(vertx, with, id, 1, new SplittableRandom(seed + id), transport, clocks);
    service.onBecameHolder(event -> sample());
    service.onStoppedHolding(event -> sample());
    transports.put(id, transport);
    services.put(id, service);
  }

  /** A controller that joins set {@code with} (a later version): started at once, quarantined as a start is. */
  void join(int id, LeaseConfig with) throws Exception {
    create(id, with);
    LeaseTransportTest.join(services.get(id).start().onSuccess(v ->
        addresses.put(id, new PeerAddress("127.0.0.1", transports.get(id).boundPort()))));
  }

  /** Starts every controller (together, as a cold start of the cluster would) and the sampler. */
  void start() throws Exception {
    List<Future<Void>> starting = new ArrayList<>();
    services.forEach((id, service) -> starting.add(service.start().onSuccess(v ->
        addresses.put(id, new PeerAddress("127.0.0.1", transports.get(id).boundPort())))));
    LeaseTransportTest.join(Future.all(starting));
    sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.MILLISECONDS);
  }

  LeaseService service(int id) {
    return services.get(id);
  }

  LeaseTransport transport(int id) {
    return transports.get(id);
  }

  /** The controllers that hold the lease now, each by its own clock. */
  List<Integer> holders() {
    List<Integer> holding = new ArrayList<>();
    services.forEach((id, service) -> {
      if (service.holdsLease()) {
        holding.add(id);
      }
    });
    return holding;
  }

  Optional<Integer> soleHolder() {
    List<Integer> holding = holders();
    return holding.size() == 1 ? Optional.of(holding.get(0)) : Optional.empty();
  }

  List<String> violations() {
    return violations;
  }

  long samples() {
    return samples.sum();
  }

  private void sample() {
    samples.increment();
    List<Integer> holding = holders();
    if (holding.size() > 1) {
      violations.add("two holders at once: " + holding + " at " + System.nanoTime());
    }
  }

  @Override
  public void close() throws Exception {
    sampler.shutdownNow();
    List<Future<Void>> closing = new ArrayList<>();
    services.values().forEach(service -> closing.add(service.close()));
    LeaseTransportTest.join(Future.join(closing));
  }

  LeaseConfig config() {
    return config;
  }
}
