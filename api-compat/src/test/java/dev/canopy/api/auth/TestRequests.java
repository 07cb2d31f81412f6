package dev.canopy.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.http.RequestHead;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Fixtures shared by the SigV4 tests: one tenant, one instant, helpers to feed bodies. */
final class TestRequests {

  static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String ACCOUNT = "123456789012";
  static final Credential CREDENTIAL = new Credential(ACCESS_KEY, SECRET, ACCOUNT);
  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  static final String REGION = "us-east-1";

  private TestRequests() {}

  static CredentialLookup lookup() {
    return key -> key.equals(ACCESS_KEY) ? Optional.of(CREDENTIAL) : Optional.empty();
  }

  static SigV4Verifier verifier(String service) {
    return verifier(service, NOW, REGION);
  }

  static SigV4Verifier verifier(String service, Instant now, String region) {
    return new SigV4Verifier(
        lookup(), InstantSource.fixed(now), SigV4Verifier.SKEW_MAX_DEFAULT, region, service);
  }

  /** A request head from a full URL, as an HTTP server would see it. */
  static RequestHead head(String method, String url, Map<String, List<String>> headers) {
    String rest = url.substring(url.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    String target = slash < 0 ? "/" : rest.substring(slash);
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    return new RequestHead(method, path, query, lowerCase(headers));
  }

  static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach(
        (k, v) -> out.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
    return out;
  }

  static RequestHead withHeader(RequestHead head, String name, String value) {
    Map<String, List<String>> headers = new LinkedHashMap<>(head.headers());
    headers.put(name, List.of(value));
    return new RequestHead(head.method(), head.rawPath(), head.rawQuery(), headers);
  }

  static RequestHead withoutHeader(RequestHead head, String name) {
    Map<String, List<String>> headers = new LinkedHashMap<>(head.headers());
    headers.remove(name);
    return new RequestHead(head.method(), head.rawPath(), head.rawQuery(), headers);
  }

  /**
   * Feeds {@code wire} to a verifier in pieces of 1..maxPiece bytes (all at once when {@code
   * random} is null) and returns the decoded payload.
   */
  static byte[] feed(PayloadVerifier verifier, byte[] wire, Random random, int maxPiece)
      throws AuthException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < wire.length) {
      int n = random == null ? wire.length : 1 + random.nextInt(maxPiece);
      n = Math.min(n, wire.length - i);
      ByteBuffer in = ByteBuffer.wrap(wire, i, n);
      ByteBuffer decoded = verifier.update(in);
      assertThat(in.hasRemaining()).as("update consumes all wire bytes").isFalse();
      byte[] chunk = new byte[decoded.remaining()];
      decoded.get(chunk);
      out.writeBytes(chunk);
      i += n;
    }
    return out.toByteArray();
  }

  /** Decodes a whole body in one go and finishes. */
  static Decoded decode(VerifiedRequest request, byte[] wire) throws AuthException {
    PayloadVerifier v = request.newPayloadVerifier();
    byte[] payload = feed(v, wire, null, 0);
    return new Decoded(payload, v.finish());
  }

  record Decoded(byte[] payload, PayloadDigests digests) {}

  static byte[] randomBytes(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }
}
