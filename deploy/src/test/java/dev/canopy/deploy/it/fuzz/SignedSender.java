package dev.canopy.deploy.it.fuzz;

import dev.canopy.api.auth.Credential;
import dev.canopy.api.auth.SigV4Signer;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs a {@link FuzzRequest} with Canopy's own SigV4 signer, which signs whatever bytes it is
 * given, and sends it with {@link RawHttp}; so malformed requests still pass authentication and
 * reach the code behind it.
 */
final class SignedSender {

  private final URI endpoint;
  private final Credential credential;
  private final String region;
  private final String service;
  private final Duration timeout;
  private final SigV4Signer signer = new SigV4Signer(Clock.systemUTC());

  SignedSender(URI endpoint, Credential credential, String region, String service, Duration timeout) {
    this.endpoint = endpoint;
    this.credential = credential;
    this.region = region;
    this.service = service;
    this.timeout = timeout;
  }

  RawHttp.Answer send(FuzzRequest request) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    URI signable = signable(request.target());
    if (request.signed() && signable != null) {
      headers = signer.sign(request.method(), signable, request.headers(), request.body(), credential, region, service);
    } else {
      headers.put("host", endpoint.getRawAuthority());
    }
    return RawHttp.exchange(endpoint.getHost(), endpoint.getPort(), request.method(), request.target(), headers,
        request.body(), timeout);
  }

  /** The URI the signer needs; null for a target no URI parser accepts, which then goes unsigned. */
  private URI signable(String target) {
    try {
      return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + target);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
