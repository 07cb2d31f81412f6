package dev.canopy.api.auth;

import static dev.canopy.api.auth.TestRequests.verifier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.http.RequestHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * botocore (Debian's python3-botocore) as a second, independent SigV4 oracle: its S3 header
 * signer, S3 presigner, and generic signer with path normalisation and the Date header. CI
 * installs python3-botocore; without it this test fails, it does not skip.
 */
class BotocoreSignedRequestsTest {

  private static final String PYTHON = "/usr/bin/python3";
  private static final String SCRIPT = "/botocore_sign.py";

  /** @param payload what the body decodes to (the body itself unless aws-chunked) */
  private record Case(String name, String service, RequestHead head, byte[] body, byte[] payload) {}

  @TestFactory
  Stream<DynamicTest> botocoreSignedRequestsVerify() throws Exception {
    List<Case> cases = signWithBotocore();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(10);
    return cases.stream()
        .flatMap(
            c ->
                Stream.of(
                    dynamicTest(c.name() + " verifies", () -> assertVerifies(c)),
                    dynamicTest(
                        c.name() + " with a changed signature fails",
                        () -> assertThat(kindOf(withFlippedSignature(c))).isEqualTo(Kind.SIGNATURE_MISMATCH))));
  }

  @TestFactory
  Stream<DynamicTest> botocoreBodiesAreBound() throws Exception {
    return signWithBotocore().stream()
        .filter(c -> c.body().length > 0)
        .map(
            c ->
                dynamicTest(
                    c.name() + " with a changed body fails",
                    () -> {
                      byte[] body = c.body().clone();
                      body[body.length / 2] ^= 0x20;
                      Kind kind = kindOf(new Case(c.name(), c.service(), c.head(), body, c.payload()));
                      // S3 bodies are checked against x-amz-content-sha256 or, aws-chunked, their
                      // trailing checksum; EC2's hash is in the canonical request itself.
                      Kind expected =
                          !c.service().equals("s3")
                              ? Kind.SIGNATURE_MISMATCH
                              : c.head().header("x-amz-trailer").isPresent()
                                  ? Kind.BAD_DIGEST
                                  : Kind.CONTENT_SHA256_MISMATCH;
                      assertThat(kind).isEqualTo(expected);
                    }));
  }

  private static void assertVerifies(Case c) throws AuthException {
    SigV4Verifier verifier = verifier(c.service());
    if (c.service().equals("s3")) {
      TestRequests.Decoded d = TestRequests.decode(verifier.verify(c.head()), c.body());
      assertThat(d.payload()).isEqualTo(c.payload());
    } else {
      Principal p = verifier.verifyWhole(c.head(), c.body());
      assertThat(p.accountId()).isEqualTo(TestRequests.ACCOUNT);
    }
  }

  private static Kind kindOf(Case c) {
    try {
      assertVerifies(c);
    } catch (AuthException e) {
      return e.kind();
    }
    return null;
  }

  /** Changes one hex digit of the signature, wherever the request carries it. */
  private static Case withFlippedSignature(Case c) {
    RequestHead h = c.head();
    String query = flipAfter(h.rawQuery(), "X-Amz-Signature=");
    Map<String, List<String>> headers = new LinkedHashMap<>(h.headers());
    h.header("authorization").ifPresent(a -> headers.put("authorization", List.of(flipAfter(a, "Signature="))));
    return new Case(c.name(), c.service(), new RequestHead(h.method(), h.rawPath(), query, headers), c.body(), c.payload());
  }

  private static String flipAfter(String s, String marker) {
    int at = s.indexOf(marker);
    if (at < 0) {
      return s;
    }
    int i = at + marker.length();
    return s.substring(0, i) + (s.charAt(i) == '0' ? '1' : '0') + s.substring(i + 1);
  }

  private List<Case> signWithBotocore() throws IOException, InterruptedException {
    ZonedDateTime at = TestRequests.NOW.atZone(ZoneOffset.UTC);
    ProcessBuilder pb =
        new ProcessBuilder(
            PYTHON,
            "-",
            TestRequests.ACCESS_KEY,
            TestRequests.SECRET,
            TestRequests.REGION,
            Integer.toString(at.getYear()),
            Integer.toString(at.getMonthValue()),
            Integer.toString(at.getDayOfMonth()),
            Integer.toString(at.getHour()));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return fail(PYTHON + " is missing; install python3 and python3-botocore: " + e.getMessage());
    }
    try (OutputStream stdin = process.getOutputStream();
        InputStream script = getClass().getResourceAsStream(SCRIPT)) {
      assertThat(script).as(SCRIPT + " on the test classpath").isNotNull();
      script.transferTo(stdin);
    }
    byte[] stdout = process.getInputStream().readAllBytes();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail("botocore signing script timed out");
    }
    if (process.exitValue() != 0) {
      return fail("botocore signing failed (this test needs the python3-botocore package): " + stderr);
    }
    List<Case> cases = new ArrayList<>();
    for (JsonNode n : new ObjectMapper().readTree(stdout)) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (JsonNode pair : n.get("headers")) {
        headers.computeIfAbsent(pair.get(0).asText(), k -> new ArrayList<>()).add(pair.get(1).asText());
      }
      cases.add(
          new Case(
              n.get("name").asText(),
              n.get("service").asText(),
              TestRequests.head(n.get("method").asText(), n.get("url").asText(), headers),
              Base64.getDecoder().decode(n.get("body").asText()),
              Base64.getDecoder().decode(n.get("payload").asText())));
    }
    return cases;
  }
}
