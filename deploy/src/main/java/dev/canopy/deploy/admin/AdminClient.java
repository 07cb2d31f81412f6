package dev.canopy.deploy.admin;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Signer;
import dev.canopy.cloud.admin.AdminApi;
import dev.canopy.core.time.SystemTime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Calls the admin JSON API, SigV4-signing every request with the administrator's key. */
final class AdminClient {

  /** An admin API answer: status and JSON body. */
  record Reply(int status, String body) {}

  private final URI console;
  private final Credential admin;
  private final String region;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  AdminClient(URI console, Credential admin, String region) {
    this.console = console;
    this.admin = admin;
    this.region = region;
  }

  Reply send(String method, String path, String jsonBody) throws IOException, InterruptedException {
    byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
    URI uri = console.resolve(path);
    Map<String, String> headers = new TreeMap<>();
    headers.put("host", uri.getAuthority());
    if (jsonBody != null) {
      headers.put("content-type", "application/json");
    }
    Map<String, String> signed =
        new SigV4Signer(SystemTime.INSTANCE).sign(method, uri, headers, body, admin, region, AdminApi.SIGNING_SERVICE);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    // java.net.http sets Host itself and refuses to be told it.
    signed.forEach((name, value) -> {
      if (!name.equalsIgnoreCase("host")) {
        request.header(name, value);
      }
    });
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }
}
