package dev.canopy.cloud.sigv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.ec2.Ec2TestCloud;
import dev.canopy.cloud.identity.NewAccount;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EC2 endpoint takes Signature Version 2 as euca2ools and older tools send it: requests
 * signed by botocore's {@code SigV2Auth} (Debian's python3-botocore; without it this test fails,
 * it does not skip), over real HTTP, answered in the same XML and with the same error codes as
 * SigV4.
 */
class Ec2SigV2Test {

  private static final String PYTHON = "/usr/bin/python3";

  /** Signs each request in argv[4] with SigV2Auth at the pinned time argv[3]; prints the wire form. */
  private static final String SIGNER =
      """
      import base64, json, sys, time
      try:
          import botocore.auth
          from botocore.awsrequest import AWSRequest
          from botocore.credentials import Credentials
      except ImportError as e:
          sys.stderr.write("python3-botocore is not installed (apt-get install python3-botocore): %s\\n" % e)
          sys.exit(3)
      fixed = time.strptime(sys.argv[3], "%Y-%m-%dT%H:%M:%SZ")
      class PinnedTime:
          gmtime = staticmethod(lambda *_: fixed)
          strftime = staticmethod(time.strftime)
          time = staticmethod(time.time)
      botocore.auth.time = PinnedTime
      signer = botocore.auth.SigV2Auth(Credentials(sys.argv[1], sys.argv[2]))
      out = []
      for case in json.loads(sys.argv[4]):
          params = dict(case["params"])
          if case["method"] == "POST":
              request = AWSRequest(method="POST", url=case["url"], data=params,
                                   headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
          else:
              request = AWSRequest(method="GET", url=case["url"], params=params)
          signer.add_auth(request)
          prepared = request.prepare()
          body = prepared.body or b""
          if isinstance(body, str):
              body = body.encode("utf-8")
          out.append({"method": case["method"], "url": prepared.url,
                      "body": base64.b64encode(body).decode("ascii")})
      json.dump(out, sys.stdout)
      """;

  private static final List<List<String>> DESCRIBE_REGIONS =
      List.of(List.of("Action", "DescribeRegions"), List.of("Version", "2016-11-15"));

  @TempDir static Path dir;
  private static Ec2TestCloud cloud;
  private static NewAccount account;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private record Wire(String method, URI url, byte[] body) {}

  @BeforeAll
  static void start() throws Exception {
    cloud = Ec2TestCloud.start(dir, parts -> List.of());
    account = cloud.newAccount("sigv2");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  void describeRegionsByGetSignedWithSigV2Succeeds() throws Exception {
    HttpResponse<String> response = send(signed("GET", DESCRIBE_REGIONS));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("<DescribeRegionsResponse").contains("<regionName>" + Ec2TestCloud.REGION + "</regionName>");
  }

  @Test
  void describeRegionsByPostSignedWithSigV2Succeeds() throws Exception {
    HttpResponse<String> response = send(signed("POST", DESCRIBE_REGIONS));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("<DescribeRegionsResponse").contains("<regionName>" + Ec2TestCloud.REGION + "</regionName>");
  }

  @Test
  void aBadSignatureIsSignatureDoesNotMatchInTheEc2Envelope() throws Exception {
    Wire wire = signed("GET", DESCRIBE_REGIONS);
    String url = wire.url().toString();
    int at = url.indexOf("Signature=") + "Signature=".length();
    String flipped = url.substring(0, at) + (url.charAt(at) == 'A' ? 'B' : 'A') + url.substring(at + 1);
    HttpResponse<String> response = send(new Wire("GET", URI.create(flipped), wire.body()));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body())
        .contains("<Response><Errors><Error><Code>SignatureDoesNotMatch</Code>")
        .contains("<RequestID>")
        .doesNotContain(account.credential().secretAccessKey());
  }

  @Test
  void aChangedParameterIsSignatureDoesNotMatch() throws Exception {
    Wire wire = signed("POST", DESCRIBE_REGIONS);
    byte[] body = new String(wire.body(), StandardCharsets.UTF_8).replace("DescribeRegions", "DescribeAvailabilityZones")
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = send(new Wire("POST", wire.url(), body));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("<Code>SignatureDoesNotMatch</Code>");
  }

  @Test
  void signatureVersionOneIsAnAuthFailure() throws Exception {
    Wire wire = signed("GET", DESCRIBE_REGIONS);
    URI v1 = URI.create(wire.url().toString().replace("SignatureVersion=2", "SignatureVersion=1"));
    HttpResponse<String> response = send(new Wire("GET", v1, wire.body()));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("<Code>AuthFailure</Code>");
  }

  @Test
  void aStaleTimestampIsRequestExpired() throws Exception {
    Wire wire = signed("GET", DESCRIBE_REGIONS, Instant.now().minus(20, ChronoUnit.MINUTES));
    HttpResponse<String> response = send(wire);
    assertThat(response.body()).contains("<Code>RequestExpired</Code>");
  }

  private static HttpResponse<String> send(Wire wire) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(wire.url());
    if (wire.method().equals("POST")) {
      b.header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofByteArray(wire.body()));
    } else {
      b.GET();
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Wire signed(String method, List<List<String>> params) throws Exception {
    return signed(method, params, Instant.now());
  }

  private static Wire signed(String method, List<List<String>> params, Instant at) throws Exception {
    String spec =
        new ObjectMapper()
            .writeValueAsString(List.of(Map.of("method", method, "url", cloud.endpoint() + "/", "params", params)));
    ProcessBuilder pb =
        new ProcessBuilder(
            PYTHON,
            "-",
            account.credential().accessKeyId(),
            account.credential().secretAccessKey(),
            at.truncatedTo(ChronoUnit.SECONDS).toString(),
            spec);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return fail(PYTHON + " is missing; install python3 and python3-botocore: " + e.getMessage());
    }
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(SIGNER.getBytes(StandardCharsets.UTF_8));
    }
    byte[] stdout = process.getInputStream().readAllBytes();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail("botocore SigV2 signing timed out");
    }
    if (process.exitValue() != 0) {
      return fail("botocore SigV2 signing failed (this test needs the python3-botocore package): " + stderr);
    }
    JsonNode n = new ObjectMapper().readTree(stdout).get(0);
    return new Wire(n.get("method").asText(), URI.create(n.get("url").asText()), Base64.getDecoder().decode(n.get("body").asText()));
  }
}
