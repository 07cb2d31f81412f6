package dev.canopy.cloud.consoleapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.admin.AdminEndpoint;
import dev.canopy.cloud.billing.PriceSheet;
import dev.canopy.cloud.identity.NewAccount;
import dev.canopy.cloud.usageapi.FakeUsage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console logins through the real console endpoint over a real grid: passwords set with the admin
 * API, sessions in cookies, the usage and admin APIs answered for a session, and the attacks a
 * browser session invites (guessing, CSRF, fixation, a tenant reaching operator calls).
 */
class ConsoleSessionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery staple";
  private static final String VM_ACME = "i-0aaaaaaaaaaaaaaa1";
  private static final String VM_OTHER = "i-0bbbbbbbbbbbbbbb2";

  @TempDir static Path dir;
  static AdminEndpoint endpoint;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    FakeUsage usage = new FakeUsage();
    endpoint = AdminEndpoint.withUsage(dir, usage, new PriceSheet("USD", Map.of()), InstantSource.fixed(Instant.parse("2026-12-06T12:00:00Z")));
    NewAccount acme = endpoint.identity.createAccount("acme");
    NewAccount other = endpoint.identity.createAccount("other");
    endpoint.identity.createAccount("guessed");
    usage.instance(VM_ACME, acme.account().id(), List.of());
    usage.instance(VM_OTHER, other.account().id(), List.of());
    for (String account : List.of("acme", "other", "guessed", "admin")) {
      assertThat(endpoint.put("/admin/v1/accounts/" + account + "/console-password", "{\"password\":\"" + PASSWORD + "\"}")
          .statusCode()).isEqualTo(204);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
  }

  @Test
  void aTenantLogsInWithAnHttpOnlyStrictCookieAndNoSecretInTheAnswer() throws Exception {
    HttpResponse<String> login = login("acme", PASSWORD, null);

    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String setCookie = login.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie).startsWith(SessionCallers.SESSION_COOKIE + "=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
        .contains("Path=/").doesNotContain("Max-Age").doesNotContain("Secure");
    JsonNode body = JSON.readTree(login.body());
    assertThat(body.path("accountName").asText()).isEqualTo("acme");
    assertThat(body.path("operator").asBoolean()).isFalse();
    assertThat(body.path("csrfToken").asText()).hasSizeGreaterThan(40);
    assertThat(login.body()).doesNotContain(PASSWORD).doesNotContain("argon2").doesNotContain(tokenOf(login));

    HttpResponse<String> whoami = send("GET", "/api/session", tokenOf(login), null, null);
    assertThat(JSON.readTree(whoami.body()).path("accountName").asText()).isEqualTo("acme");
  }

  @Test
  void aSessionReadsItsOwnUsageAndNotAnotherTenants() throws Exception {
    String token = tokenOf(login("acme", PASSWORD, null));

    assertThat(send("GET", "/api/usage/instances/" + VM_ACME, token, null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> foreign = send("GET", "/api/usage/instances/" + VM_OTHER, token, null, null);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(AdminEndpoint.errorCode(foreign)).isEqualTo("AccessDenied");
  }

  @Test
  void aWrongPasswordAndAnUnknownAccountGetTheSameAnswer() throws Exception {
    HttpResponse<String> wrong = login("other", "not the password at all", null);
    HttpResponse<String> unknown = login("nobody-here", PASSWORD, null);

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.body()).isEqualTo(wrong.body());
    assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
  }

  @Test
  void guessingIsStoppedAfterFiveFailuresEvenWithTheRightPassword() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(login("guessed", "guess number " + i + " wrong", null).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> right = login("guessed", PASSWORD, null);

    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(AdminEndpoint.errorCode(right)).isEqualTo("TooManyLoginAttempts");
    assertThat(Long.parseLong(right.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 900L);
    assertThat(right.headers().firstValue("set-cookie")).isEmpty();
  }

  @Test
  void loggingOutNeedsTheCsrfTokenAndThenTheCookieWorksNowhere() throws Exception {
    HttpResponse<String> login = login("acme", PASSWORD, null);
    String token = tokenOf(login);
    String csrf = JSON.readTree(login.body()).path("csrfToken").asText();

    HttpResponse<String> forged = send("DELETE", "/api/session", token, null, null);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(AdminEndpoint.errorCode(forged)).isEqualTo("InvalidCsrfToken");
    assertThat(send("DELETE", "/api/session", token, "wrong-" + csrf, null).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/api/session", token, null, null).statusCode()).as("still logged in").isEqualTo(200);

    HttpResponse<String> logout = send("DELETE", "/api/session", token, csrf, null);
    assertThat(logout.statusCode()).isEqualTo(204);
    assertThat(logout.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(send("GET", "/api/session", token, null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> usage = send("GET", "/api/usage/instances/" + VM_ACME, token, null, null);
    assertThat(usage.statusCode()).isEqualTo(401);
    assertThat(AdminEndpoint.errorCode(usage)).isEqualTo("NoSession");
  }

  @Test
  void aTokenPlantedBeforeLoginIsNeverTheSessionsToken() throws Exception {
    String planted = "attacker-chosen-session-token-0123456789";
    HttpResponse<String> login = login("acme", PASSWORD, planted);

    assertThat(tokenOf(login)).isNotEqualTo(planted);
    assertThat(send("GET", "/api/session", planted, null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void onlyTheOperatorsSessionMakesAdminCallsAndChangesNeedTheCsrfToken() throws Exception {
    String tenant = tokenOf(login("acme", PASSWORD, null));
    HttpResponse<String> refused = send("GET", "/admin/v1/accounts", tenant, null, null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(AdminEndpoint.errorCode(refused)).isEqualTo("AccessDenied");

    HttpResponse<String> operatorLogin = login("admin", PASSWORD, null);
    assertThat(JSON.readTree(operatorLogin.body()).path("operator").asBoolean()).isTrue();
    String operator = tokenOf(operatorLogin);
    String csrf = JSON.readTree(operatorLogin.body()).path("csrfToken").asText();
    assertThat(send("GET", "/admin/v1/accounts", operator, null, null).body()).contains("\"acme\"");
    HttpResponse<String> forged = send("POST", "/admin/v1/accounts", operator, null, "{\"name\":\"forged\"}");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(endpoint.identity.findByName("forged")).isEmpty();
    assertThat(send("POST", "/admin/v1/accounts", operator, csrf, "{\"name\":\"made-in-console\"}").statusCode()).isEqualTo(201);
  }

  @Test
  void badLoginsAndBadPasswordsAreRefusedWithTheirCodes() throws Exception {
    HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(endpoint.base().resolve("/api/session"))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("account=acme&password=x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(415);
    HttpResponse<String> malformed = HTTP.send(HttpRequest.newBuilder(endpoint.base().resolve("/api/session"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"account\": 7")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(AdminEndpoint.errorCode(malformed)).isEqualTo("InvalidParameterValue");

    HttpResponse<String> shortPassword = endpoint.put("/admin/v1/accounts/acme/console-password", "{\"password\":\"short\"}");
    assertThat(shortPassword.statusCode()).isEqualTo(400);
    assertThat(AdminEndpoint.errorCode(shortPassword)).isEqualTo("InvalidPassword");
    HttpResponse<String> unknown = endpoint.put("/admin/v1/accounts/nobody/console-password", "{\"password\":\"" + PASSWORD + "\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(AdminEndpoint.errorCode(unknown)).isEqualTo("NoSuchAccount");
  }

  @Test
  void anAccountWhosePasswordWasRemovedCannotLogIn() throws Exception {
    NewAccount leaving = endpoint.identity.createAccount("leaving");
    endpoint.consolePasswords.set(leaving.account().id(), PASSWORD);
    assertThat(login("leaving", PASSWORD, null).statusCode()).isEqualTo(200);

    assertThat(endpoint.delete("/admin/v1/accounts/leaving/console-password").statusCode()).isEqualTo(204);

    assertThat(login("leaving", PASSWORD, null).statusCode()).isEqualTo(401);
  }

  @Test
  void theConsolePageAndItsAssetsComeFromTheJarWithAStrictContentSecurityPolicy() throws Exception {
    for (String path : List.of("/", "/console/console.js", "/console/vendor/uplot/uPlot.iife.min.js")) {
      HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(endpoint.base().resolve(path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.headers().firstValue("content-security-policy")).as(path).hasValue(ConsolePages.CONTENT_SECURITY_POLICY);
      assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    }
    HttpResponse<String> index = HTTP.send(HttpRequest.newBuilder(endpoint.base().resolve("/")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(index.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
    assertThat(index.body()).contains("<form id=\"login\"").doesNotContain("http://").doesNotContain("https://");
    assertThat(HTTP.send(HttpRequest.newBuilder(endpoint.base().resolve("/console/../../etc/passwd")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }

  private static HttpResponse<String> login(String account, String password, String plantedToken) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.base().resolve("/api/session"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("account", account, "password", password))));
    if (plantedToken != null) {
      request.header("cookie", SessionCallers.SESSION_COOKIE + "=" + plantedToken);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(String method, String path, String token, String csrf, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.base().resolve(path))
        .header("cookie", SessionCallers.SESSION_COOKIE + "=" + token)
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (csrf != null) {
      request.header(SessionCallers.CSRF_HEADER, csrf);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String tokenOf(HttpResponse<String> login) {
    String cookie = login.headers().firstValue("set-cookie").orElseThrow();
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }
}
