package dev.canopy.deploy.admin;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Signer;
import dev.canopy.cloud.admin.AdminApi;
import dev.canopy.core.time.SystemTime;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Calls the admin JSON API, SigV4-signing every request with the administrator's key. An HTTPS
 * console (a controller outside dev) is trusted by the cloud CA's certificate only, and its name
 * is checked against the certificate's.
 */
final class AdminClient {

  /** An admin API answer: status and JSON body. */
  record Reply(int status, String body) {}

  private final URI console;
  private final Credential admin;
  private final String region;
  private final HttpClient http;

  /** @param caCertificate the cloud CA's certificate, needed when {@code console} is HTTPS */
  AdminClient(URI console, Credential admin, String region, Optional<Path> caCertificate) {
    this.console = console;
    this.admin = admin;
    this.region = region;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if ("https".equalsIgnoreCase(console.getScheme())) {
      Path ca = caCertificate.orElseThrow(() -> new IllegalArgumentException(
          "the console at " + console + " is HTTPS: the cloud CA's certificate (ca.pem of the cloud's folder) is needed to trust it"));
      builder.sslContext(trusting(ca));
    }
    this.http = builder.build();
  }

  private static SSLContext trusting(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("canopy-ca", ca);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use " + caPem + " as the cloud CA's certificate: " + e.getMessage(), e);
    }
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
