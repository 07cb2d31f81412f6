package dev.canopy.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.auth.SigV2Verifier.ParameterException.Problem;
import dev.canopy.api.http.RequestHead;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SigV2 against a signer written here from the specification, sharing no code with the verifier
 * (its encoding is java.net.URLEncoder patched to RFC 3986), and every way a request can go wrong.
 */
class SigV2VerifierTest {

  private static final Instant NOW = TestRequests.NOW;
  private static final String HOST = "Cloud.Example.com:8773";

  /** A SigV2 signer from the specification; parameters in order, Signature appended last. */
  private record Signer(String accessKeyId, String secret, String method) {

    Map<String, String> sign(String httpMethod, String host, String path, Map<String, String> params) {
      StringBuilder query = new StringBuilder();
      params.entrySet().stream()
          .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder())) // ASCII names: byte order
          .forEach(e -> query.append(query.isEmpty() ? "" : "&").append(rfc3986(e.getKey())).append('=').append(rfc3986(e.getValue())));
      String toSign = httpMethod + "\n" + host.toLowerCase() + "\n" + path + "\n" + query;
      try {
        Mac mac = Mac.getInstance(method);
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), method));
        Map<String, String> out = new LinkedHashMap<>(params);
        out.put("Signature", Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8))));
        return out;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    static String rfc3986(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
  }

  private static final Signer SHA256 = new Signer(TestRequests.ACCESS_KEY, TestRequests.SECRET, "HmacSHA256");
  private static final Signer SHA1 = new Signer(TestRequests.ACCESS_KEY, TestRequests.SECRET, "HmacSHA1");

  private static Map<String, String> params(String signatureMethod) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("Action", "RunInstances");
    p.put("ImageId", "emi-12345678");
    p.put("MinCount", "1");
    p.put("UserData", "IyEvYmluL3No+/=");
    p.put("TagSpecification.1.Tag.1.Value", "a b~c*d é");
    p.put("AWSAccessKeyId", TestRequests.ACCESS_KEY);
    p.put("SignatureVersion", "2");
    p.put("SignatureMethod", signatureMethod);
    p.put("Timestamp", "2024-05-01T12:03:00Z");
    return p;
  }

  /** As it goes on the wire: '+' for spaces, which is how browsers and most tools form-encode. */
  private static String formEncode(Map<String, String> params) {
    List<String> pairs = new ArrayList<>();
    params.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return String.join("&", pairs);
  }

  private static RequestHead get(String path, Map<String, String> signed) {
    return new RequestHead("GET", path, formEncode(signed), Map.of("host", List.of(HOST)));
  }

  private static RequestHead post(String path) {
    return new RequestHead("POST", path, "", Map.of("host", List.of(HOST), "content-type", List.of("application/x-www-form-urlencoded")));
  }

  private static SigV2Verifier verifier() {
    return verifier(NOW);
  }

  private static SigV2Verifier verifier(Instant now) {
    return new SigV2Verifier(TestRequests.lookup(), InstantSource.fixed(now), Duration.ofMinutes(15));
  }

  private static Principal verifyGet(Map<String, String> signed) throws Exception {
    return verifier().verify(get("/", signed), new byte[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HmacSHA256", "HmacSHA1"})
  void getSignedByTheTestSignerVerifies(String method) throws Exception {
    Signer signer = method.equals("HmacSHA1") ? SHA1 : SHA256;
    Map<String, String> signed = signer.sign("GET", HOST, "/services/compute", params(method));
    Principal p = verifier().verify(get("/services/compute", signed), new byte[0]);
    assertThat(p).isEqualTo(new Principal(TestRequests.ACCOUNT, TestRequests.ACCESS_KEY));
  }

  @ParameterizedTest
  @ValueSource(strings = {"HmacSHA256", "HmacSHA1"})
  void postSignedByTheTestSignerVerifies(String method) throws Exception {
    Signer signer = method.equals("HmacSHA1") ? SHA1 : SHA256;
    Map<String, String> signed = signer.sign("POST", HOST, "/", params(method));
    byte[] body = formEncode(signed).getBytes(StandardCharsets.UTF_8);
    assertThat(SigV2Verifier.appliesTo(post("/"), body)).isTrue();
    assertThat(verifier().verify(post("/"), body).accountId()).isEqualTo(TestRequests.ACCOUNT);
  }

  @Test
  void anEmptyPathIsSignedAsSlash() throws Exception {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    assertThat(verifier().verify(get("", signed), new byte[0]).accountId()).isEqualTo(TestRequests.ACCOUNT);
  }

  @Test
  void expiresInTheFutureVerifies() throws Exception {
    Map<String, String> p = params("HmacSHA256");
    p.remove("Timestamp");
    p.put("Expires", "2024-05-01T13:00:00Z");
    assertThat(verifyGet(SHA256.sign("GET", HOST, "/", p)).accountId()).isEqualTo(TestRequests.ACCOUNT);
  }

  @Test
  void oneChangedParameterFails() {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    signed.put("MinCount", "2");
    assertKind(() -> verifyGet(signed), Kind.SIGNATURE_MISMATCH);
  }

  @Test
  void anAddedParameterFails() {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    signed.put("MaxCount", "5");
    assertKind(() -> verifyGet(signed), Kind.SIGNATURE_MISMATCH);
  }

  @Test
  void anotherMethodPathOrHostFails() {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    assertKind(() -> verifier().verify(get("/other", signed), new byte[0]), Kind.SIGNATURE_MISMATCH);
    RequestHead otherHost = new RequestHead("GET", "/", formEncode(signed), Map.of("host", List.of("cloud.example.com:8774")));
    assertKind(() -> verifier().verify(otherHost, new byte[0]), Kind.SIGNATURE_MISMATCH);
    byte[] body = formEncode(signed).getBytes(StandardCharsets.UTF_8);
    assertKind(() -> verifier().verify(post("/"), body), Kind.SIGNATURE_MISMATCH);
  }

  @Test
  void aWrongSecretFails() {
    Signer wrong = new Signer(TestRequests.ACCESS_KEY, TestRequests.SECRET + "x", "HmacSHA256");
    assertKind(() -> verifyGet(wrong.sign("GET", HOST, "/", params("HmacSHA256"))), Kind.SIGNATURE_MISMATCH);
  }

  @Test
  void aSignatureMadeWithTheOtherMethodFails() {
    Map<String, String> signed = SHA1.sign("GET", HOST, "/", params("HmacSHA256"));
    assertKind(() -> verifyGet(signed), Kind.SIGNATURE_MISMATCH);
  }

  @Test
  void garbageInsteadOfBase64Fails() {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    signed.put("Signature", "not base64 at all!");
    assertKind(() -> verifyGet(signed), Kind.SIGNATURE_MISMATCH);
  }

  @Test
  void anUnknownKeyFails() {
    Map<String, String> p = params("HmacSHA256");
    p.put("AWSAccessKeyId", "AKIAUNKNOWNKEY000000");
    Signer other = new Signer("AKIAUNKNOWNKEY000000", TestRequests.SECRET, "HmacSHA256");
    AuthException e = assertKind(() -> verifyGet(other.sign("GET", HOST, "/", p)), Kind.UNKNOWN_ACCESS_KEY);
    assertThat(e.getMessage()).doesNotContain(TestRequests.SECRET);
  }

  @ParameterizedTest
  @ValueSource(longs = {-16, 16})
  void aTimestampSixteenMinutesOffFails(long minutes) {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    Instant now = Instant.parse("2024-05-01T12:03:00Z").plus(Duration.ofMinutes(minutes));
    assertKind(() -> verifier(now).verify(get("/", signed), new byte[0]), Kind.TIME_SKEWED);
  }

  @Test
  void aTimestampFourteenMinutesOffVerifies() throws Exception {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    Instant now = Instant.parse("2024-05-01T12:03:00Z").plus(Duration.ofMinutes(14));
    assertThat(verifier(now).verify(get("/", signed), new byte[0]).accountId()).isEqualTo(TestRequests.ACCOUNT);
  }

  @Test
  void anExpiredExpiresFails() {
    Map<String, String> p = params("HmacSHA256");
    p.remove("Timestamp");
    p.put("Expires", "2024-05-01T11:59:59Z");
    assertKind(() -> verifyGet(SHA256.sign("GET", HOST, "/", p)), Kind.EXPIRED);
  }

  @Test
  void aMissingSignatureFails() {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    signed.remove("Signature");
    assertKind(() -> verifyGet(signed), Kind.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "3"})
  void otherSignatureVersionsFailAsAuthFailureDoes(String version) {
    Map<String, String> p = params("HmacSHA256");
    p.put("SignatureVersion", version);
    assertKind(() -> verifyGet(SHA256.sign("GET", HOST, "/", p)), Kind.SIGNATURE_MISMATCH);
  }

  @Test
  void timestampWithExpiresIsAnInvalidCombination() {
    Map<String, String> p = params("HmacSHA256");
    p.put("Expires", "2024-05-01T13:00:00Z");
    assertProblem(() -> verifyGet(SHA256.sign("GET", HOST, "/", p)), Problem.INVALID_PARAMETER_COMBINATION);
  }

  @Test
  void parameterProblemsAreNamed() {
    assertProblem(() -> verifyGet(SHA256.sign("GET", HOST, "/", with(p -> p.remove("Timestamp")))), Problem.MISSING_PARAMETER);
    assertProblem(() -> verifyGet(SHA256.sign("GET", HOST, "/", with(p -> p.remove("SignatureVersion")))), Problem.MISSING_PARAMETER);
    assertProblem(() -> verifyGet(SHA256.sign("GET", HOST, "/", with(p -> p.put("SignatureMethod", "HmacMD5")))), Problem.INVALID_PARAMETER_VALUE);
    assertProblem(() -> verifyGet(SHA256.sign("GET", HOST, "/", with(p -> p.put("Timestamp", "yesterday")))), Problem.INVALID_PARAMETER_VALUE);
  }

  @Test
  void otherIso8601FormsOfTheTimeAreAccepted() throws Exception {
    for (String t : List.of("2024-05-01T12:03:00.000Z", "2024-05-01T14:03:00+02:00", "2024-05-01T12:03:00")) {
      assertThat(verifyGet(SHA256.sign("GET", HOST, "/", with(p -> p.put("Timestamp", t)))).accountId()).as(t).isEqualTo(TestRequests.ACCOUNT);
    }
  }

  @Test
  void aRepeatedAuthParameterIsMalformed() {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    RequestHead head = new RequestHead("GET", "/", formEncode(signed) + "&SignatureVersion=2", Map.of("host", List.of(HOST)));
    assertKind(() -> verifier().verify(head, new byte[0]), Kind.MALFORMED);
  }

  @Test
  void sigV4RequestsAreNotTakenForSigV2() {
    Map<String, String> signed = SHA256.sign("GET", HOST, "/", params("HmacSHA256"));
    RequestHead withHeader = new RequestHead("GET", "/", formEncode(signed), Map.of("host", List.of(HOST), "authorization", List.of("AWS4-HMAC-SHA256 x")));
    assertThat(SigV2Verifier.appliesTo(withHeader, new byte[0])).isFalse();
    RequestHead presigned = new RequestHead("GET", "/", formEncode(signed) + "&X-Amz-Algorithm=AWS4-HMAC-SHA256", Map.of("host", List.of(HOST)));
    assertThat(SigV2Verifier.appliesTo(presigned, new byte[0])).isFalse();
    assertThat(SigV2Verifier.appliesTo(new RequestHead("GET", "/", "Action=DescribeRegions", Map.of()), new byte[0])).isFalse();
    assertThat(SigV2Verifier.appliesTo(get("/", signed), new byte[0])).isTrue();
  }

  @Test
  void theCanonicalQuerySortsByNameBytesAndEncodesRfc3986() {
    String q =
        SigV2Verifier.canonicalQuery(
            List.of(Map.entry("b", "x y"), Map.entry("Signature", "s"), Map.entry("a", "~*é/+"), Map.entry("B", "")));
    assertThat(q).isEqualTo("B=&a=~%2A%C3%A9%2F%2B&b=x%20y");
  }

  private static Map<String, String> with(Consumer<Map<String, String>> change) {
    Map<String, String> p = params("HmacSHA256");
    change.accept(p);
    return p;
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static AuthException assertKind(Call call, Kind kind) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(AuthException.class);
    assertThat(((AuthException) t).kind()).isEqualTo(kind);
    assertThat(t.getMessage()).doesNotContain(TestRequests.SECRET);
    return (AuthException) t;
  }

  private static void assertProblem(Call call, Problem problem) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(SigV2Verifier.ParameterException.class);
    assertThat(((SigV2Verifier.ParameterException) t).problem()).isEqualTo(problem);
  }

  private static Throwable catchThrowable(Call call) {
    try {
      call.run();
    } catch (Exception e) {
      return e;
    }
    return null;
  }
}
