package dev.canopy.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the cluster's own processes say, read from outside: the lease holder and its metering
 * figures ({@code /lease}, {@code /metrics} on the management ports), CPU time per process from
 * {@code /proc/PID/stat}, and the bytes in the storage nodes' data folders.
 */
final class ClusterWatch {

  /** Linux's USER_HZ: /proc reports CPU time in these ticks. */
  private static final double TICKS_PER_SECOND = 100.0;

  record Process(String name, long pid) {}

  /** One look at the holder's metering gauges and counters, summed over their labels. */
  record Metering(int holder, double foldLagSeconds, double unfoldedInPass, double batchesFolded, double passes,
      double passSecondsSum, double passSecondsMax, double pointsAdded, double pointsDuplicate, double receivedAll) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JsonNode cluster;
  private final Path dir;

  ClusterWatch(Path clusterFile) throws IOException {
    this.cluster = JSON.readTree(clusterFile.toFile());
    this.dir = clusterFile.getParent();
  }

  List<String> agentUrls() {
    List<String> urls = new ArrayList<>();
    cluster.path("controllers").forEach(c -> urls.add(c.path("agent").asText()));
    return urls;
  }

  URI console() {
    return URI.create(cluster.path("controllers").get(0).path("console").asText());
  }

  Path dir() {
    return dir;
  }

  /**
   * The cloud's JVMs, found by the data folder on their command line (controllers restarted with
   * another config have new pids), and this process.
   */
  List<Process> processes() {
    List<Process> found = new ArrayList<>();
    for (String kind : List.of("controllers", "storage")) {
      cluster.path(kind).forEach(c -> {
        String data = c.path("data").asText();
        String name = Path.of(data).getFileName().toString();
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(l -> l.contains("canopy.jar") && (l.contains(data + " ") || l.endsWith(data))).orElse(false))
            .findFirst().ifPresent(p -> found.add(new Process(name, p.pid())));
      });
    }
    found.add(new Process("load-generator", ProcessHandle.current().pid()));
    return found;
  }

  /** User plus system CPU seconds of {@code pid} so far; NaN once it is gone. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Bytes of files under each storage node's data folder. */
  Map<String, Long> storageBytes() {
    Map<String, Long> bytes = new LinkedHashMap<>();
    cluster.path("storage").forEach(s -> {
      Path data = Path.of(s.path("data").asText());
      try (Stream<Path> files = Files.walk(data)) {
        bytes.put(data.getFileName().toString(), files.filter(Files::isRegularFile).mapToLong(ClusterWatch::size).sum());
      } catch (IOException | UncheckedIOException e) {
        bytes.put(data.getFileName().toString(), -1L);
      }
    });
    return bytes;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // compacted away while walking
    }
  }

  /** As {@link #metering}, tried up to five times: the figures a run's totals start and end with. */
  Metering meteringPatiently() throws InterruptedException, IOException {
    for (int attempt = 1; ; attempt++) {
      Metering m = meteringOrNull();
      if (m != null || attempt == 5) {
        if (m == null) {
          throw new IOException("the controllers' /metrics did not answer five times");
        }
        return m;
      }
    }
  }

  /** As {@link #metering}, or null when a controller did not answer in time (a row without those figures). */
  Metering meteringOrNull() {
    try {
      return metering();
    } catch (IOException e) {
      MeteringScaleLoad.log("a controller's /metrics or /lease did not answer: %s", e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The holder's view, plus batches received summed over every controller. */
  Metering metering() throws IOException, InterruptedException {
    int holder = -1;
    double received = 0;
    Map<String, Double> holderFigures = Map.of();
    for (JsonNode c : cluster.path("controllers")) {
      String management = c.path("management").asText();
      Map<String, Double> figures = scrape(URI.create(management + "/metrics"));
      received += figures.getOrDefault("canopy_metering_batches_received_total", 0.0);
      JsonNode lease = JSON.readTree(get(URI.create(management + "/lease")));
      if (lease.path("holder").asInt(-1) == c.path("id").asInt() && lease.path("remainingMs").isNumber()) {
        holder = c.path("id").asInt();
        holderFigures = figures;
      }
    }
    Map<String, Double> h = holderFigures;
    return new Metering(holder, h.getOrDefault("canopy_metering_fold_lag_seconds", Double.NaN),
        h.getOrDefault("canopy_metering_unfolded_batches", Double.NaN), h.getOrDefault("canopy_metering_batches_folded_total", 0.0),
        h.getOrDefault("canopy_metering_fold_pass_seconds_count", 0.0), h.getOrDefault("canopy_metering_fold_pass_seconds_sum", 0.0),
        h.getOrDefault("canopy_metering_fold_pass_seconds_max", 0.0),
        h.getOrDefault("canopy_metering_points_folded_total{outcome=\"added\"}", 0.0),
        h.getOrDefault("canopy_metering_points_folded_total{outcome=\"duplicate\"}", 0.0), received);
  }

  /**
   * The metering lines of a Prometheus text page, summed over labels, except the points' outcome,
   * which is kept apart; per-node counters (20,000 nodes) are summed here.
   */
  private Map<String, Double> scrape(URI uri) throws IOException, InterruptedException {
    Map<String, Double> sums = new LinkedHashMap<>();
    for (String line : get(uri).split("\n")) {
      if (!line.startsWith("canopy_metering_")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
      if (name.equals("canopy_metering_points_folded_total")) {
        name = series.contains("outcome=\"added\"") ? name + "{outcome=\"added\"}" : name + "{outcome=\"duplicate\"}";
      }
      double value = Double.parseDouble(line.substring(space + 1));
      sums.merge(name, value, Double::sum);
    }
    return sums;
  }

  private String get(URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
