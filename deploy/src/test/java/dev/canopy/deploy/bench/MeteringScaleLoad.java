package dev.canopy.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Simulated node agents metering a cloud started with {@code local-cluster up}, for
 * {@code bench/metering-scale.sh}: enrolls {@code --hosts} hosts with one-time tokens, opens one
 * agent session per host with its own certificate (controllers round-robin, from
 * {@code --sources} loopback addresses so no address passes the per-address cap), then every host
 * sends a reading of {@code --guests} instances every 10 s, the hosts' phases spread evenly over
 * the 10 s, for {@code --minutes}. Every 10 s it records what was offered and acknowledged, ack
 * latency, the lease holder's fold figures, CPU seconds per process and the storage folders'
 * bytes; at the end it writes {@code OUT.json} and {@code OUT.txt}.
 *
 * <p>usage: {@code MeteringScaleLoad --cluster DIR/cluster.json --hosts 20000 --guests 8 --minutes 10
 * --sources 127.0.12.200 --source-count 50 --out bench/results/metering-scale}
 */
public final class MeteringScaleLoad {

  private static final long WATCH_EVERY_MS = 10_000;

  private MeteringScaleLoad() {}

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Throwable e) {
      // Vert.x threads would keep the JVM (and every session) alive after the main thread died.
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path clusterFile = Path.of(a.getOrDefault("cluster", "cluster.json"));
    int hosts = Integer.parseInt(a.getOrDefault("hosts", "20000"));
    int guests = Integer.parseInt(a.getOrDefault("guests", "8"));
    double minutes = Double.parseDouble(a.getOrDefault("minutes", "10"));
    String sourceBase = a.getOrDefault("sources", "127.0.12.200");
    int sourceCount = Integer.parseInt(a.getOrDefault("source-count", "50"));
    Path out = Path.of(a.getOrDefault("out", "bench/results/metering-scale"));
    long seed = Long.parseLong(a.getOrDefault("seed", "14"));
    String jfr = a.get("jfr");
    long readingMs = Long.parseLong(a.getOrDefault("reading-ms", Long.toString(SimulatedHost.READING_EVERY_MS)));

    ClusterWatch watch = new ClusterWatch(clusterFile);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    LoadStats stats = new LoadStats();
    List<String> agents = watch.agentUrls();
    List<String> sources = new ArrayList<>();
    String prefix = sourceBase.substring(0, sourceBase.lastIndexOf('.') + 1);
    int firstSource = Integer.parseInt(sourceBase.substring(sourceBase.lastIndexOf('.') + 1));
    for (int s = 0; s < sourceCount; s++) {
      sources.add(prefix + (firstSource + s));
    }
    if (a.containsKey("worker-from")) {
      worker(vertx, watch, Integer.parseInt(a.get("worker-from")), hosts, guests, seed, sources, stats, readingMs);
      return;
    }
    ObjectNode report = new ObjectMapper().createObjectNode();
    ObjectNode setup = report.putObject("setup");
    setup.put("hosts", hosts).put("guestsPerHost", guests).put("vnicsPerGuest", 1).put("samplesPerBatch", guests * 2)
        .put("readingEverySeconds", readingMs / 1000.0).put("minutes", minutes)
        .put("controllers", agents.size()).put("sourceAddresses", sourceCount).put("generatorProcesses", 2);

    // 1. Half the hosts in a worker process (a process may hold 20,000 open files here, one per
    //    session), the other half here; each enrolls its hosts the real way and connects them.
    int half = hosts / 2;
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
        "-cp", System.getProperty("java.class.path"), MeteringScaleLoad.class.getName()));
    command.addAll(List.of("--cluster", clusterFile.toString(), "--hosts", Integer.toString(hosts), "--guests", Integer.toString(guests),
        "--seed", Long.toString(seed), "--sources", sources.get(sourceCount / 2), "--source-count", Integer.toString(sourceCount - sourceCount / 2),
        "--worker-from", Integer.toString(half), "--reading-ms", Long.toString(readingMs)));
    java.lang.Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly));
    java.util.concurrent.CountDownLatch childReady = new java.util.concurrent.CountDownLatch(1);
    Thread reader = new Thread(() -> readWorker(child, stats, childReady), "worker-reader");
    reader.setDaemon(true);
    reader.start();
    Fleet fleet = new Fleet(vertx, watch, 0, half, hosts, guests, seed, sources.subList(0, sourceCount / 2), stats, readingMs);
    double enrollSeconds = fleet.enrollAndConnect();
    childReady.await();
    setup.put("enrollSeconds", round(enrollSeconds)).put("enrollmentsPerSecond", round(2 * half / enrollSeconds));
    log("enrolled and connected; %d sessions open, %d connect failures", stats.total("sessionsOpen"), stats.total("sessionFailures"));
    long t0 = System.currentTimeMillis() + 5_000;
    child.getOutputStream().write(("START " + t0 + "\n").getBytes());
    child.getOutputStream().flush();
    fleet.startReadings(t0);
    Thread.sleep(Math.max(0, t0 - System.currentTimeMillis()));
    setup.put("sessionsOpenAtStart", stats.total("sessionsOpen")).put("connectFailuresAtStart", stats.total("sessionFailures"));

    // 3. The run, watched every 10 s.
    List<ClusterWatch.Process> processes = new ArrayList<>(watch.processes());
    processes.add(new ClusterWatch.Process("load-generator-2", child.pid()));
    Map<String, Double> cpuStart = cpu(processes);
    Map<String, Long> bytesStart = watch.storageBytes();
    ClusterWatch.Metering meteringStart = watch.meteringPatiently();
    stats.resetWholeRun();
    long offeredStart = stats.total("batchesOffered");
    long samplesOfferedStart = stats.total("samplesOffered");
    long ackedStart = stats.total("batchesAcked");
    long samplesAckedStart = stats.total("samplesAcked");
    if (jfr != null) {
      recordHolder(watch, meteringStart.holder(), minutes, jfr);
    }
    long runStart = System.nanoTime();
    long runMs = (long) (minutes * 60_000);
    ArrayNode rows = report.putArray("every10s");
    long lastOffered = stats.total("batchesOffered");
    long lastAcked = stats.total("batchesAcked");
    long lastAt = runStart;
    Map<String, Double> lastCpu = cpuStart;
    for (long next = WATCH_EVERY_MS; next <= runMs; next += WATCH_EVERY_MS) {
      Thread.sleep(Math.max(0, next - (System.nanoTime() - runStart) / 1_000_000));
      Histogram latency = stats.interval();
      long now = System.nanoTime();
      double elapsed = (now - lastAt) / 1e9;
      long offered = stats.total("batchesOffered");
      long acked = stats.total("batchesAcked");
      Map<String, Double> cpuNow = cpu(processes);
      ClusterWatch.Metering m = watch.meteringOrNull();
      ObjectNode row = rows.addObject();
      row.put("t", Math.round((now - runStart) / 1e9)).put("offeredBatchesPerSec", round((offered - lastOffered) / elapsed))
          .put("ackedBatchesPerSec", round((acked - lastAcked) / elapsed))
          .put("ackP50ms", latency.getTotalCount() == 0 ? -1 : latency.getValueAtPercentile(50) / 1000)
          .put("ackP99ms", latency.getTotalCount() == 0 ? -1 : latency.getValueAtPercentile(99) / 1000)
          .put("agentQueued", stats.total("queued")).put("resends", stats.total("resends")).put("sessions", stats.total("sessionsOpen"));
      if (m != null) {
        row.put("holder", m.holder()).put("foldLagSeconds", m.foldLagSeconds()).put("unfoldedGauge", m.unfoldedInPass())
            .put("storedNotFolded", (long) (m.receivedAll() - m.batchesFolded())).put("batchesFolded", (long) m.batchesFolded())
            .put("passes", (long) m.passes()).put("passSecondsMax", round(m.passSecondsMax()));
      }
      ObjectNode cores = row.putObject("cpuCores");
      for (ClusterWatch.Process p : processes) {
        cores.put(p.name(), round((cpuNow.get(p.name()) - lastCpu.get(p.name())) / elapsed));
      }
      lastAt = now;
      log("%s", row.toString());
      lastOffered = offered;
      lastAcked = acked;
      lastCpu = cpuNow;
    }
    double seconds = (System.nanoTime() - runStart) / 1e9;
    ClusterWatch.Metering meteringEnd = watch.meteringPatiently();
    java.util.concurrent.atomic.AtomicLong childResets = new java.util.concurrent.atomic.AtomicLong(stats.workerResets());
    Map<String, Double> cpuEnd = cpu(processes);
    Map<String, Long> bytesEnd = watch.storageBytes();

    ObjectNode totals = report.putObject("summary");
    totals.put("seconds", round(seconds));
    totals.put("offeredBatchesPerSec", round((stats.total("batchesOffered") - offeredStart) / seconds))
        .put("offeredSamplesPerSec", round((stats.total("samplesOffered") - samplesOfferedStart) / seconds))
        .put("ackedBatchesPerSec", round((stats.total("batchesAcked") - ackedStart) / seconds))
        .put("ackedSamplesPerSec", round((stats.total("samplesAcked") - samplesAckedStart) / seconds))
        .put("resends", stats.total("resends")).put("agentQueuedAtEnd", stats.total("queued"))
        .put("counterResets", fleet.counterResets() + childResets.get());
    Histogram whole = stats.wholeRun();
    totals.put("ackP50ms", whole.getValueAtPercentile(50) / 1000.0).put("ackP99ms", whole.getValueAtPercentile(99) / 1000.0)
        .put("ackMaxMs", whole.getMaxValue() / 1000.0).put("acksMeasured", whole.getTotalCount());
    double folded = meteringEnd.batchesFolded() - meteringStart.batchesFolded();
    long backlogStart = (long) (meteringStart.receivedAll() - meteringStart.batchesFolded());
    long backlogEnd = (long) (meteringEnd.receivedAll() - meteringEnd.batchesFolded());
    totals.put("foldedBatchesPerSec", round(folded / seconds))
        .put("foldedPointsPerSec", round((meteringEnd.pointsAdded() - meteringStart.pointsAdded()) / seconds))
        .put("foldPasses", (long) (meteringEnd.passes() - meteringStart.passes()))
        .put("foldPassMeanSeconds", round((meteringEnd.passSecondsSum() - meteringStart.passSecondsSum())
            / Math.max(1, meteringEnd.passes() - meteringStart.passes())))
        .put("storedNotFoldedAtStart", backlogStart).put("storedNotFoldedAtEnd", backlogEnd)
        .put("backlogGrowthBatchesPerSec", round((backlogEnd - backlogStart) / seconds))
        .put("foldLagSecondsAtEnd", meteringEnd.foldLagSeconds());
    ObjectNode cpu = totals.putObject("cpuSeconds");
    ObjectNode cores = totals.putObject("cpuCores");
    for (ClusterWatch.Process p : processes) {
      double used = cpuEnd.get(p.name()) - cpuStart.get(p.name());
      cpu.put(p.name(), round(used));
      cores.put(p.name(), round(used / seconds));
    }
    ObjectNode bytes = totals.putObject("storageBytesGrowth");
    long grown = 0;
    for (Map.Entry<String, Long> e : bytesEnd.entrySet()) {
      long d = e.getValue() - bytesStart.getOrDefault(e.getKey(), 0L);
      bytes.put(e.getKey(), d);
      grown += d;
    }
    totals.put("storageBytesGrowthAll", grown)
        .put("storageBytesPerAckedSample", round((double) grown / Math.max(1, stats.total("samplesAcked"))));
    ObjectNode bytesAtEnd = totals.putObject("storageBytesAtEnd");
    bytesEnd.forEach(bytesAtEnd::put);

    fleet.stop();
    child.destroy();
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(Path.of(out + ".json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    Files.writeString(Path.of(out + ".txt"), MeteringScaleReport.text(report));
    log("wrote %s.json and %s.txt", out, out);
    vertx.close().toCompletionStage().toCompletableFuture().get();
    System.exit(0);
  }

  /**
   * The worker process: enrolls and connects hosts {@code from..hosts-1}, says READY, takes the
   * start time from its stdin, then prints its counters once a second until it is stopped.
   */
  private static void worker(Vertx vertx, ClusterWatch watch, int from, int hosts, int guests, long seed, List<String> sources,
      LoadStats stats, long readingMs) throws Exception {
    // Never outlive the generator that started this process, however it ended.
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
    Fleet fleet = new Fleet(vertx, watch, from, hosts, hosts, guests, seed, sources, stats, readingMs);
    fleet.enrollAndConnect();
    System.out.println("READY");
    System.out.flush();
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
    String start = in.readLine();
    if (start == null || !start.startsWith("START ")) {
      System.exit(1);
    }
    fleet.startReadings(Long.parseLong(start.substring(6).strip()));
    while (true) {
      Thread.sleep(1000);
      ObjectNode snapshot = stats.snapshot();
      snapshot.put("counterResets", fleet.counterResets());
      System.out.println("STATS " + snapshot);
      System.out.flush();
    }
  }

  private static void readWorker(java.lang.Process child, LoadStats stats, java.util.concurrent.CountDownLatch ready) {
    try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals("READY")) {
          ready.countDown();
        } else if (line.startsWith("STATS ")) {
          stats.absorb(new ObjectMapper().readTree(line.substring(6)));
        } else {
          System.out.println(line);
        }
      }
    } catch (Exception e) {
      log("the worker process's output ended: %s", e);
    }
    ready.countDown();
    log("the worker process ended");
  }

  /** A JFR profile of the lease holder over the run ({@code jcmd JFR.start}), for where its CPU goes. */
  private static void recordHolder(ClusterWatch watch, int holder, double minutes, String file) throws Exception {
    String name = "controller-" + holder;
    for (ClusterWatch.Process p : watch.processes()) {
      if (p.name().equals(name)) {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(p.pid()), "JFR.start", "settings=profile",
            "duration=" + (long) Math.ceil(minutes * 60) + "s", "filename=" + Path.of(file).toAbsolutePath())
            .redirectErrorStream(true).start();
        log("JFR of %s (pid %d): %s", name, p.pid(), new String(jcmd.getInputStream().readAllBytes()).strip().replace('\n', ' '));
        jcmd.waitFor();
      }
    }
  }

  private static Map<String, Double> cpu(List<ClusterWatch.Process> processes) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    processes.forEach(p -> seconds.put(p.name(), ClusterWatch.cpuSeconds(p.pid())));
    return seconds;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static void log(String format, Object... args) {
    System.out.printf("metering-scale: " + format + "%n", args);
  }
}
