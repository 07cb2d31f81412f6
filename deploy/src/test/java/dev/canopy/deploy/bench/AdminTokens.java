package dev.canopy.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Signer;
import dev.canopy.cloud.admin.AdminApi;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.core.time.SystemTime;
import dev.canopy.deploy.it.ConsoleTls;
import dev.canopy.deploy.process.CloudFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One-time enrollment tokens from the admin API ({@code POST /admin/v1/tokens}, signed with the
 * cloud's administrator key as {@code canopy token create} does), over one HTTP client for all of
 * them: {@code TokenCommand.create} makes a client per call, whose kept-alive connections pile up
 * past the console port's 256 connections per address when called thousands of times.
 */
final class AdminTokens {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI console;
  private final Credential admin;
  private final String region;
  private final HttpClient http;

  AdminTokens(Path clusterDir, URI console) throws IOException {
    this.console = console;
    this.admin = CloudFiles.readProfile(new CloudFiles(clusterDir).adminCredentials(), CloudFiles.ADMIN_PROFILE, IdentityService.ADMIN_ACCOUNT_ID)
        .orElseThrow(() -> new IllegalStateException("no administrator credentials in " + clusterDir));
    this.region = "canopy-1";
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if ("https".equalsIgnoreCase(console.getScheme())) {
      // The console serves TLS under the cloud CA: trust that CA alone, as `canopy token create` does.
      try {
        builder.sslContext(ConsoleTls.trusting(new CloudFiles(clusterDir).caCertificate()));
      } catch (Exception e) {
        throw new IOException("cannot trust the cloud CA of " + clusterDir + ": " + e.getMessage(), e);
      }
    }
    this.http = builder.build();
  }

  String create(Duration ttl) throws IOException, InterruptedException {
    byte[] body = JSON.createObjectNode().put("ttlSeconds", ttl.toSeconds()).toString().getBytes(StandardCharsets.UTF_8);
    URI uri = console.resolve("/admin/v1/tokens");
    Map<String, String> headers = new TreeMap<>();
    headers.put("host", uri.getAuthority());
    headers.put("content-type", "application/json");
    Map<String, String> signed = new SigV4Signer(SystemTime.INSTANCE).sign("POST", uri, headers, body, admin, region, AdminApi.SIGNING_SERVICE);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed.forEach((name, value) -> {
      if (!name.equalsIgnoreCase("host")) {
        request.header(name, value);
      }
    });
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IOException("token refused: " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body()).path("token").asText();
  }
}
