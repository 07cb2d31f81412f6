package dev.canopy.deploy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code canopy billing report} against a stand-in admin API on a real HTTP port: what it asks (signed
 * as the administrator), where the answer goes, and how a refusal ends the command.
 */
class BillingCommandTest {

  private static final String CSV = "x_LineId,BillingAccountId\nabc,111122223333\n";

  @TempDir Path dir;
  private HttpServer server;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream stdout;
  private PrintStream stderr;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/admin/v1/billing/report", this::answer);
    server.start();
    CloudFiles files = new CloudFiles(dir);
    files.writeEndpoints(Map.of("console", "http://127.0.0.1:" + server.getAddress().getPort(), "region", "canopy-1"));
    files.writeAdminCredentials(new Credential("AKIAADMIN00000000000", "secret", IdentityService.ADMIN_ACCOUNT_ID));
    stdout = System.out;
    stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    System.setOut(stdout);
    System.setErr(stderr);
    server.stop(0);
  }

  @Test
  void printsTheReportAsTheApiAnswersIt() {
    int exit = run("report", "--account", "acme", "--month", "2026-11", "--format", "csv", "--data", dir.toString());
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(CSV);
    assertThat(asked).containsExactly("/admin/v1/billing/report?account=acme&month=2026-11&format=csv");
    assertThat(authorizations.get(0)).startsWith("AWS4-HMAC-SHA256 Credential=AKIAADMIN00000000000/").contains("/canopy-1/canopy/aws4_request");
  }

  @Test
  void writesTheReportToAFileWhenTold() throws Exception {
    Path file = dir.resolve("acme-2026-11.json");
    int exit = run("report", "--account", "acme", "--month", "2026-11", "--output", file.toString(), "--data", dir.toString());
    assertThat(exit).isZero();
    assertThat(Files.readString(file)).isEqualTo(CSV);
    assertThat(out.size()).isZero();
    assertThat(asked).containsExactly("/admin/v1/billing/report?account=acme&month=2026-11&format=json");
  }

  @Test
  void aRefusalExitsOneWithTheServersMessageAndWritesNothing() {
    Path file = dir.resolve("nobody.csv");
    int exit = run("report", "--account", "nobody", "--month", "2026-11", "--output", file.toString(), "--data", dir.toString());
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("NoSuchAccount").contains("HTTP 404").contains("no account 'nobody'");
    assertThat(file).doesNotExist();
  }

  @Test
  void accountAndMonthAreRequired() {
    assertThat(run("report", "--account", "acme", "--data", dir.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--month");
    assertThat(asked).isEmpty();
  }

  private int run(String... args) {
    return new CommandLine(new BillingCommand()).execute(args);
  }

  private void answer(HttpExchange exchange) throws IOException {
    asked.add(exchange.getRequestURI().toString());
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    boolean known = exchange.getRequestURI().getQuery().startsWith("account=acme&");
    byte[] body = (known ? CSV : "{\"code\":\"NoSuchAccount\",\"message\":\"no account 'nobody'\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", known ? "text/csv; charset=utf-8" : "application/json");
    exchange.sendResponseHeaders(known ? 200 : 404, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
