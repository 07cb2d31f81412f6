package dev.canopy.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.http.RequestHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * botocore's {@code SigV2Auth} (Debian's python3-botocore) as an independent SigV2 oracle: a GET
 * and a form POST with awkward parameter values, to an endpoint with a port and a path as
 * euca2ools addresses Eucalyptus-style clouds. Without python3-botocore this test fails, it does
 * not skip.
 */
class SigV2BotocoreTest {

  private static final String PYTHON = "/usr/bin/python3";
  private static final String SCRIPT = "/botocore_sigv2_sign.py";
  private static final String TIMESTAMP = "2024-05-01T12:00:00Z";

  /** Spaces, '+', '/', '~', '*', non-ASCII and an empty value: everything encoding can get wrong. */
  private static final List<List<String>> PARAMS =
      List.of(
          List.of("Action", "DescribeInstances"),
          List.of("Version", "2016-11-15"),
          List.of("Filter.1.Name", "tag:Name"),
          List.of("Filter.1.Value.1", "web server é/~*+=&€😀"),
          List.of("Filter.2.Name", "instance-state-name"),
          List.of("Filter.2.Value.1", ""));

  private static Map<String, Signed> signed;

  private record Signed(RequestHead head, byte[] body) {}

  @BeforeAll
  static void signWithBotocore() throws Exception {
    List<Map<String, Object>> spec =
        List.of(
            Map.of("name", "get", "method", "GET", "url", "http://ec2.example.com:8773/services/compute", "params", PARAMS),
            Map.of("name", "post", "method", "POST", "url", "http://ec2.example.com:8773/", "params", PARAMS),
            Map.of("name", "get-root", "method", "GET", "url", "https://ec2.example.com", "params", PARAMS));
    signed = run(new ObjectMapper().writeValueAsString(spec));
    assertThat(signed).containsOnlyKeys("get", "post", "get-root");
  }

  @Test
  void botocoreSignedGetVerifies() throws Exception {
    assertVerifies(signed.get("get"));
    assertThat(signed.get("get").head().rawQuery()).contains("SignatureVersion=2").contains("Timestamp=");
  }

  @Test
  void botocoreSignedGetToTheRootPathVerifies() throws Exception {
    assertVerifies(signed.get("get-root"));
  }

  @Test
  void botocoreSignedPostVerifies() throws Exception {
    Signed post = signed.get("post");
    assertThat(post.head().rawQuery()).isEmpty();
    assertThat(new String(post.body(), StandardCharsets.UTF_8)).contains("Signature=");
    assertVerifies(post);
  }

  @Test
  void botocoreRequestsAreRecognisedAsSigV2() {
    signed.values().forEach(s -> assertThat(SigV2Verifier.appliesTo(s.head(), s.body())).isTrue());
  }

  @Test
  void aChangedParameterInABotocoreRequestFails() {
    Signed get = signed.get("get");
    RequestHead head = get.head();
    RequestHead changed =
        new RequestHead(head.method(), head.rawPath(), head.rawQuery().replace("DescribeInstances", "DescribeImages"), head.headers());
    assertThatThrownBy(() -> verifier().verify(changed, get.body()))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH));

    Signed post = signed.get("post");
    byte[] body = new String(post.body(), StandardCharsets.UTF_8).replace("tag%3AName", "tag%3AOwner").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> verifier().verify(post.head(), body))
        .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(Kind.SIGNATURE_MISMATCH));
  }

  private static void assertVerifies(Signed s) throws Exception {
    Principal p = verifier().verify(s.head(), s.body());
    assertThat(p).isEqualTo(new Principal(TestRequests.ACCOUNT, TestRequests.ACCESS_KEY));
  }

  private static SigV2Verifier verifier() {
    return new SigV2Verifier(TestRequests.lookup(), InstantSource.fixed(TestRequests.NOW), SigV4Verifier.SKEW_MAX_DEFAULT);
  }

  /** An HTTP client asks for "/?query" when a URL has no path; botocore signs that path as "/". */
  private static String requestTarget(String url) {
    int hostStart = url.indexOf("://") + 3;
    int q = url.indexOf('?', hostStart);
    int slash = url.indexOf('/', hostStart);
    return q >= 0 && (slash < 0 || slash > q) ? url.substring(0, q) + "/" + url.substring(q) : url;
  }

  private static Map<String, Signed> run(String spec) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(PYTHON, "-", TestRequests.ACCESS_KEY, TestRequests.SECRET, TIMESTAMP, spec);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return fail(PYTHON + " is missing; install python3 and python3-botocore: " + e.getMessage());
    }
    try (OutputStream stdin = process.getOutputStream();
        InputStream script = SigV2BotocoreTest.class.getResourceAsStream(SCRIPT)) {
      assertThat(script).as(SCRIPT + " on the test classpath").isNotNull();
      script.transferTo(stdin);
    }
    byte[] stdout = process.getInputStream().readAllBytes();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail("botocore SigV2 signing script timed out");
    }
    if (process.exitValue() != 0) {
      return fail("botocore SigV2 signing failed (this test needs the python3-botocore package): " + stderr);
    }
    Map<String, Signed> out = new LinkedHashMap<>();
    for (JsonNode n : new ObjectMapper().readTree(stdout)) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (JsonNode pair : n.get("headers")) {
        headers.computeIfAbsent(pair.get(0).asText(), k -> new ArrayList<>()).add(pair.get(1).asText());
      }
      out.put(
          n.get("name").asText(),
          new Signed(
              TestRequests.head(n.get("method").asText(), requestTarget(n.get("url").asText()), headers),
              Base64.getDecoder().decode(n.get("body").asText())));
    }
    return out;
  }
}
