package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code haproxy} run in the foreground with the configuration {@code canopy
 * haproxy-config} wrote for a cluster, and its statistics page read as CSV: what an operator
 * looks at to see which servers HAProxy sends traffic to.
 */
final class HaproxyProcess implements AutoCloseable {

  private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
  private final Process process;
  private final URI stats;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HaproxyProcess(Process process, URI stats) {
    this.process = process;
    this.stats = stats;
  }

  /** Checks {@code config} with {@code haproxy -c}, then starts HAProxy on it, its output in {@code log}. */
  static HaproxyProcess start(Path config, String statsAddress, Path log) throws Exception {
    assertThat(HAPROXY).as("Debian's haproxy package (deploy/run-tests installs it)").isExecutable();
    Process check = new ProcessBuilder(HAPROXY.toString(), "-c", "-f", config.toString()).redirectErrorStream(true).start();
    String checked = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as("haproxy -c: %s", checked).isZero();
    // -db: foreground, no daemon, so the test owns the process and stops it.
    Process p = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new HaproxyProcess(p, URI.create("http://" + statsAddress + "/stats;csv"));
  }

  /** Each server's status ({@code UP}, {@code DOWN}, {@code UP 1/2}, …) in {@code backend}, by server name. */
  Map<String, String> statuses(String backend) throws IOException, InterruptedException {
    HttpResponse<String> csv = http.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(csv.statusCode()).isEqualTo(200);
    List<String> lines = csv.body().lines().toList();
    List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(",", -1));
    int proxy = header.indexOf("pxname");
    int server = header.indexOf("svname");
    int status = header.indexOf("status");
    Map<String, String> out = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells.length > status && cells[proxy].equals(backend) && !cells[server].equals("BACKEND")) {
        out.put(cells[server], cells[status]);
      }
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  static String logOf(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
