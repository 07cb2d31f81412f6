package dev.canopy.deploy.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hosts {@code from} (inclusive) to {@code to} of a simulated fleet of {@code total}: enrolled,
 * connected (host i to controller i mod C, from one of the given source addresses), then reading
 * every 10 s at phase {@code i * 10 s / total}, so the whole fleet's readings are spread evenly
 * however it is split over processes.
 */
final class Fleet {

  private static final int ENROLL_THREADS = 12;
  /** Sessions opened per second while starting, so the TLS handshakes do not all land at once. */
  private static final int CONNECTS_PER_SECOND = 200;

  private final Vertx vertx;
  private final ClusterWatch watch;
  private final int from;
  private final int to;
  private final int total;
  private final int guests;
  private final long seed;
  private final List<String> sources;
  private final LoadStats stats;
  private final List<SimulatedHost> hosts = new ArrayList<>();
  private final long readingEveryMs;

  Fleet(Vertx vertx, ClusterWatch watch, int from, int to, int total, int guests, long seed, List<String> sources, LoadStats stats,
      long readingEveryMs) {
    this.readingEveryMs = readingEveryMs;
    this.vertx = vertx;
    this.watch = watch;
    this.from = from;
    this.to = to;
    this.total = total;
    this.guests = guests;
    this.seed = seed;
    this.sources = sources;
    this.stats = stats;
  }

  /** Enrolls and connects every host of the range; returns the seconds enrollment took. */
  double enrollAndConnect() throws Exception {
    List<String> agents = watch.agentUrls();
    long started = System.nanoTime();
    HostEnroller enroller = new HostEnroller(vertx, watch.dir(), watch.console());
    ExecutorService pool = Executors.newFixedThreadPool(ENROLL_THREADS);
    List<Future<HostEnroller.Enrolled>> pending = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String agentUrl = agents.get(i % agents.size());
      String hostname = "sim-host-" + i;
      pending.add(pool.submit(() -> enroller.enroll(agentUrl, hostname)));
    }
    List<HostEnroller.Enrolled> enrolled = new ArrayList<>();
    for (Future<HostEnroller.Enrolled> f : pending) {
      enrolled.add(f.get());
      if (enrolled.size() % 2000 == 0) {
        MeteringScaleLoad.log("hosts %d..%d: %d enrolled", from, to - 1, enrolled.size());
      }
    }
    pool.shutdown();
    enroller.close();
    if (enroller.retries() > 0) {
      MeteringScaleLoad.log("hosts %d..%d: %d enrollment attempts failed and were retried", from, to - 1, enroller.retries());
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    for (int i = from; i < to; i++) {
      URI agent = URI.create(agents.get(i % agents.size()));
      HostEnroller.Enrolled node = enrolled.get(i - from);
      // A client per host, as a real agent has one with its own certificate.
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(false)
          .setKeyCertOptions(node.key()).setTrustOptions(node.trust())
          .setLocalAddress(sources.get((i / agents.size()) % sources.size())).setConnectTimeout(30_000));
      SimulatedHost host = new SimulatedHost(vertx, client, agent.getHost(), agent.getPort(),
          new HostCounters(i, guests, seed), stats, seed * 31 + i, readingEveryMs);
      hosts.add(host);
      Context context = vertx.getOrCreateContext();
      host.bindTo(context);
      host.onContext(host::connect);
      if ((i - from) % CONNECTS_PER_SECOND == CONNECTS_PER_SECOND - 1) {
        Thread.sleep(1000);
      }
    }
    // Readings start once the sessions are open (or a minute has passed: the report says how many were).
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (stats.sessionsOpen.sum() < to - from && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    return seconds;
  }

  /** Every host's first reading at {@code t0Ms + i * interval / total} (wall clock), then every interval. */
  void startReadings(long t0Ms) {
    for (int i = from; i < to; i++) {
      SimulatedHost host = hosts.get(i - from);
      long at = t0Ms + (long) i * readingEveryMs / total;
      host.onContext(() -> host.startReadings(at - System.currentTimeMillis()));
    }
  }

  long counterResets() {
    return hosts.stream().mapToLong(SimulatedHost::counterResets).sum();
  }

  void stop() {
    hosts.forEach(h -> h.onContext(h::stop));
  }
}
