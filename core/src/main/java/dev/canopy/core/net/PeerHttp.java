package dev.canopy.core.net;

import java.net.http.HttpClient;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** The HTTP client one Canopy role uses to call another over mutual TLS: HTTP/1.1, no redirects followed. */
public final class PeerHttp {

  private PeerHttp() {}

  public static HttpClient client(SSLContext tls, Duration connectTimeout) {
    return HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }
}
