package dev.canopy.cloud.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.grid.FlakyStore;
import dev.canopy.cloud.grid.Grid;
import dev.canopy.cloud.grid.GridMaps;
import dev.canopy.cloud.identity.AccessKey;
import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.AccountName;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.consoleapi.ConsolePages;
import dev.canopy.cloud.consoleapi.SessionApi;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consolelogin.ConsoleLogin;
import dev.canopy.cloud.consolelogin.ConsolePasswords;
import dev.canopy.cloud.consolelogin.ConsoleSessions;
import dev.canopy.cloud.consolelogin.LoginThrottle;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.usage.UsageQueries;
import dev.canopy.cloud.usageapi.UsageApi;
import dev.canopy.storage.local.LocalStore;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The admin API on an ephemeral port over a real grid and store (the store can be made to fail),
 * called over plain HTTP with requests the AWS SDK's own SigV4 signer signs as the administrator
 * (or as a tenant); optionally with the billing report and the tenant usage API mounted beside it.
 */
public final class AdminEndpoint implements AutoCloseable {

  private static final String REGION = "canopy-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalStore store;
  private final FlakyStore durable;
  private final Grid grid;
  private final Vertx vertx = Vertx.vertx();
  private final AdminApi admin;
  private final Credential adminKey;
  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();
  public final IdentityService identity;
  /** Console passwords on this endpoint's grid; logins at {@code /api/session}. */
  public final ConsolePasswords consolePasswords;

  /** @param metering serves {@code /admin/v1/samples}; null for none */
  AdminEndpoint(Path dir, MeteringService metering) throws Exception {
    this(dir, metering, null, null, null);
  }

  /**
   * With the billing report and the tenant usage API over {@code usage}.
   *
   * @param clock the usage API's now (the current month, a series' default end)
   */
  public static AdminEndpoint withUsage(Path dir, UsageQueries usage, PriceSheet prices, InstantSource clock) throws Exception {
    return new AdminEndpoint(dir, null, usage, prices, clock);
  }

  /** More console routes, built over this endpoint's grid, store and sessions. */
  @FunctionalInterface
  public interface ExtraRoutes {
    dev.canopy.cloud.consoleapi.ConsoleRoutes create(Vertx vertx, SigV4Verifier verifier, Grid grid,
        dev.canopy.storage.local.SystemStore store, SessionCallers sessions);
  }

  /** With {@code extra} served beside the admin API (the operator's node routes, for one). */
  public static AdminEndpoint withRoutes(Path dir, ExtraRoutes extra) throws Exception {
    return new AdminEndpoint(dir, null, null, null, null, extra, null);
  }

  /** With the controller set's routes, over a membership record this endpoint's grid holds. */
  static AdminEndpoint withControllers(Path dir, java.util.function.Function<Grid, dev.canopy.cloud.membership.GridMembership> membership)
      throws Exception {
    return new AdminEndpoint(dir, null, null, null, null, null, membership);
  }

  private AdminEndpoint(Path dir, MeteringService metering, UsageQueries usage, PriceSheet prices, InstantSource clock) throws Exception {
    this(dir, metering, usage, prices, clock, null, null);
  }

  private AdminEndpoint(Path dir, MeteringService metering, UsageQueries usage, PriceSheet prices, InstantSource clock,
      ExtraRoutes extra, java.util.function.Function<Grid, dev.canopy.cloud.membership.GridMembership> membership) throws Exception {
    SecureRandom random = new SecureRandom();
    store = LocalStore.open(dir.resolve("store"));
    durable = new FlakyStore(store);
    grid = Grid.startStandalone("admin-test-" + System.nanoTime(), "127.0.0.1", 5701, durable);
    identity = new IdentityService(grid.map(GridMaps.ACCOUNTS, Account.class), grid.map(GridMaps.ACCOUNT_NAMES, AccountName.class),
        grid.map(GridMaps.ACCESS_KEYS, AccessKey.class), new SecretBox(MasterKey.generate(random), random), random, Clock.systemUTC());
    adminKey = identity.createAdminKey();
    SigV4Verifier verifier = new SigV4Verifier(identity.credentials(), Clock.systemUTC(), SigV4Verifier.SKEW_MAX_DEFAULT, REGION,
        AdminApi.SIGNING_SERVICE);
    admin = new AdminApi(vertx, verifier, identity, accountId -> List.of());
    if (metering != null) {
      admin.withMetering(metering);
    }
    consolePasswords = ConsolePasswords.onGrid(grid, random, Clock.systemUTC());
    SessionCallers sessions = new SessionCallers(new ConsoleLogin(identity, consolePasswords,
        ConsoleSessions.onGrid(grid, random, Clock.systemUTC()), new LoginThrottle(LoginThrottle.Limits.DEFAULT, Clock.systemUTC())));
    admin.withConsoleLogins(consolePasswords, sessions).alsoServing(new SessionApi(vertx, sessions)).alsoServing(new ConsolePages());
    if (usage != null) {
      admin.withBilling(usage, prices).alsoServing(new UsageApi(vertx, verifier, identity, usage, prices, clock).withSessions(sessions));
    }
    if (membership != null) {
      admin.withControllers(membership.apply(grid));
    }
    if (extra != null) {
      admin.alsoServing(extra.create(vertx, verifier, grid, store, sessions));
    }
    int port = admin.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + port);
  }

  /** From now on every durable write of the grid fails (true) or goes through again (false). */
  void failStoreWrites(boolean fail) {
    durable.failWrites(fail);
  }

  /** Stops this process's grid member, as a controller that is shutting down has. */
  void stopGrid() {
    grid.close();
  }

  public HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(SdkHttpMethod.GET, pathAndQuery, "");
  }

  /** A GET signed with {@code key} (a tenant's, or a wrong secret). */
  public HttpResponse<String> getAs(Credential key, String pathAndQuery) throws Exception {
    return send(key, SdkHttpMethod.GET, pathAndQuery, "");
  }

  /** Where the console port listens, {@code http://127.0.0.1:PORT}. */
  public URI base() {
    return base;
  }

  /** The region requests are signed for. */
  public static String region() {
    return REGION;
  }

  /** A GET with no signature at all. */
  public HttpResponse<String> getUnsigned(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws Exception {
    return send(SdkHttpMethod.POST, path, json);
  }

  /** A PUT signed as the administrator. */
  public HttpResponse<String> put(String path, String json) throws Exception {
    return send(SdkHttpMethod.PUT, path, json);
  }

  /** A DELETE signed as the administrator. */
  public HttpResponse<String> delete(String path) throws Exception {
    return send(SdkHttpMethod.DELETE, path, "");
  }

  private HttpResponse<String> send(SdkHttpMethod method, String pathAndQuery, String body) throws Exception {
    return send(adminKey, method, pathAndQuery, body);
  }

  private HttpResponse<String> send(Credential key, SdkHttpMethod method, String pathAndQuery, String body) throws Exception {
    URI uri = base.resolve(pathAndQuery);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest request = SdkHttpRequest.builder().method(method).uri(uri).putHeader("content-type", "application/json").build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
        .request(request)
        .payload(() -> new java.io.ByteArrayInputStream(bytes))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, AdminApi.SIGNING_SERVICE)
        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION));
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).method(method.name(), HttpRequest.BodyPublishers.ofByteArray(bytes));
    // java.net.http sets Host and Content-Length itself and refuses to be told them.
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
        values.forEach(v -> builder.header(name, v));
      }
    });
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A 200 JSON answer's body; fails the test on anything else. */
  public static JsonNode okJson(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  /** The {@code code} of a JSON error answer. */
  public static String errorCode(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).path("code").asText();
  }

  @Override
  public void close() throws Exception {
    admin.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    grid.close();
    store.close();
  }
}
