package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.Credential;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** POST Object: browser form uploads signed with a SigV4 policy, and every way S3 refuses one. */
class S3PostObjectTest {

  private static final String BUCKET = "uploads";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  private static Map<String, String> form(Credential signer, Duration validFor, String conditions, String... fields) {
    Map<String, String> form = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      form.put(fields[i], fields[i + 1]);
    }
    Instant now = Instant.now();
    form.putAll(PostForms.signed(signer, now, now.plus(validFor), conditions));
    return form;
  }

  private static Map<String, String> aliceForm(String conditions, String... fields) {
    return form(S3TestServer.ALICE, Duration.ofHours(1), conditions, fields);
  }

  private static HttpResponse<String> post(Map<String, String> form, String filename, byte[] file) throws Exception {
    return post(PostForms.CONTENT_TYPE, PostForms.body(form, filename, file));
  }

  private static HttpResponse<String> post(String contentType, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(s3.server().endpoint() + "/" + BUCKET))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> response, int status, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    String body = response.body().replace("&quot;", "\"").replace("&apos;", "'");
    assertThat(body).contains("<Code>" + code + "</Code>").contains(message);
  }

  private static boolean exists(String key) {
    return !s3.alice().listObjectsV2(l -> l.bucket(BUCKET).prefix(key)).contents().isEmpty();
  }

  @Test
  void aSignedFormStoresTheFileWithItsMetadataAndAnswers204() throws Exception {
    byte[] file = S3TestServer.randomBytes(3 * BodyUpload.FLUSH_BYTES + 17, 1);
    HttpResponse<String> answer = post(aliceForm("{\"bucket\": \"uploads\"}, [\"starts-with\", \"$key\", \"photos/\"],"
        + " {\"Content-Type\": \"image/png\"}, [\"starts-with\", \"$x-amz-meta-album\", \"\"]",
        "key", "photos/cat.png", "Content-Type", "image/png", "x-amz-meta-album", "holidays"), "cat.png", file);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(file));
    assertThat(answer.headers().firstValue("ETag")).hasValue("\"" + md5 + "\"");
    ResponseBytes<GetObjectResponse> stored = s3.alice().getObjectAsBytes(g -> g.bucket(BUCKET).key("photos/cat.png"));
    assertThat(stored.asByteArray()).isEqualTo(file);
    assertThat(stored.response().contentType()).isEqualTo("image/png");
    assertThat(stored.response().metadata()).containsEntry("album", "holidays");
  }

  @Test
  void theFileNameReplacesTheFilenameVariableInTheKey() throws Exception {
    HttpResponse<String> answer = post(aliceForm("[\"starts-with\", \"$key\", \"inbox/\"]", "key", "inbox/${filename}"),
        "report.pdf", "pdf".getBytes(StandardCharsets.UTF_8));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    assertThat(s3.alice().getObjectAsBytes(g -> g.bucket(BUCKET).key("inbox/report.pdf")).asUtf8String()).isEqualTo("pdf");
  }

  @Test
  void successActionStatusAndRedirectShapeTheAnswer() throws Exception {
    HttpResponse<String> created = post(aliceForm("{\"key\": \"a.txt\"}, {\"success_action_status\": \"201\"}",
        "key", "a.txt", "success_action_status", "201"), "a.txt", new byte[] {1});
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body()).contains("<PostResponse xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
        .contains("<Bucket>uploads</Bucket>").contains("<Key>a.txt</Key>").contains("<ETag>&quot;")
        .contains("<Location>http://127.0.0.1:" + s3.server().port + "/uploads/a.txt</Location>");

    HttpResponse<String> ok = post(aliceForm("{\"key\": \"b.txt\"}, {\"success_action_status\": \"200\"}",
        "key", "b.txt", "success_action_status", "200"), "b.txt", new byte[] {1});
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEmpty();

    HttpResponse<String> redirected = post(aliceForm("{\"key\": \"c d.txt\"},"
        + " {\"success_action_redirect\": \"https://app.example.com/done?from=form\"}",
        "key", "c d.txt", "success_action_redirect", "https://app.example.com/done?from=form"), "c.txt", new byte[] {1});
    assertThat(redirected.statusCode()).isEqualTo(303);
    assertThat(redirected.headers().firstValue("Location").orElseThrow())
        .startsWith("https://app.example.com/done?from=form&bucket=uploads&key=c%20d.txt&etag=%22");
  }

  @Test
  void aSignatureThatDoesNotMatchIsSignatureDoesNotMatch() throws Exception {
    Map<String, String> form = aliceForm("{\"key\": \"forged\"}", "key", "forged");
    form.put("x-amz-signature", PostForms.signature("not-alices-secret", form.get("x-amz-date").substring(0, 8), form.get("policy")));
    assertError(post(form, "f", new byte[] {1}), 403, "SignatureDoesNotMatch", "signature");
    Map<String, String> unknown = form(new Credential("AKIANOBODY0000000000", "x", "333333333333"), Duration.ofHours(1),
        "{\"key\": \"forged\"}", "key", "forged");
    assertError(post(unknown, "f", new byte[] {1}), 403, "InvalidAccessKeyId", "Access Key Id");
    assertThat(exists("forged")).isFalse();
  }

  @Test
  void anExpiredPolicyIsAccessDenied() throws Exception {
    assertError(post(form(S3TestServer.ALICE, Duration.ofSeconds(-1), "{\"key\": \"late\"}", "key", "late"), "f", new byte[] {1}),
        403, "AccessDenied", "Invalid according to Policy: Policy expired.");
    assertThat(exists("late")).isFalse();
  }

  @Test
  void aFieldThePolicyDoesNotMentionIsRefused() throws Exception {
    assertError(post(aliceForm("{\"key\": \"extra\"}", "key", "extra", "Content-Type", "text/html"), "f", new byte[] {1}),
        403, "AccessDenied", "Invalid according to Policy: Extra input fields: content-type");
    assertError(post(aliceForm("[\"starts-with\", \"$key\", \"photos/\"]", "key", "elsewhere/x"), "f", new byte[] {1}),
        403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"starts-with\",\"$key\",\"photos/\"]");
    assertThat(exists("extra")).isFalse();
    assertThat(exists("elsewhere")).isFalse();
  }

  @Test
  void aFileOutsideTheContentLengthRangeIsEntityTooLargeOrTooSmall() throws Exception {
    String range = "{\"key\": \"sized\"}, [\"content-length-range\", 10, 2000000]";
    assertError(post(aliceForm(range, "key", "sized"), "f", new byte[2_000_001]), 400, "EntityTooLarge", "exceeds");
    assertError(post(aliceForm(range, "key", "sized"), "f", new byte[9]), 400, "EntityTooSmall", "smaller");
    assertThat(exists("sized")).isFalse();
    assertThat(post(aliceForm(range, "key", "sized"), "f", new byte[10]).statusCode()).isEqualTo(204);
  }

  @Test
  void anotherAccountsSignatureCannotWriteTheBucket() throws Exception {
    assertError(post(form(S3TestServer.BOB, Duration.ofHours(1), "{\"key\": \"bobs\"}", "key", "bobs"), "f", new byte[] {1}),
        403, "AccessDenied", "Access Denied");
    assertThat(exists("bobs")).isFalse();
    // The same form signed by the owner is stored.
    assertThat(post(aliceForm("{\"key\": \"bobs\"}", "key", "bobs"), "f", new byte[] {1}).statusCode()).isEqualTo(204);
  }

  @Test
  void aFormWithoutPolicyIsAnAnonymousWriteAndDenied() throws Exception {
    Map<String, String> form = new LinkedHashMap<>(Map.of("key", "anon"));
    assertError(post(form, "f", new byte[] {1}), 403, "AccessDenied", "Access Denied");
  }

  @Test
  void missingKeyFileOrSignatureFieldsAreInvalidArgument() throws Exception {
    assertError(post(aliceForm(""), "f", new byte[] {1}), 400, "InvalidArgument", "must contain a field named 'key'");
    assertError(post(aliceForm("{\"key\": \"k\"}", "key", "k"), null, null), 400, "InvalidArgument",
        "POST requires exactly one file upload per request.");
    Map<String, String> unsigned = aliceForm("{\"key\": \"k\"}", "key", "k");
    unsigned.remove("x-amz-signature");
    assertError(post(unsigned, "f", new byte[] {1}), 400, "InvalidArgument", "x-amz-signature");
  }

  @Test
  void aBodyThatIsNotAFormIsRefused() throws Exception {
    assertError(post("application/octet-stream", new byte[] {1, 2, 3}), 412, "PreconditionFailed",
        "Bucket POST must be of the enclosure-type multipart/form-data");
  }

  @Test
  void theTaggingFieldTagsTheObjectAndABrokenOneStoresNothing() throws Exception {
    String tagging = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>";
    assertThat(post(aliceForm("{\"key\": \"tagged\"}, {\"tagging\": \"" + tagging + "\"}", "key", "tagged", "tagging", tagging),
        "f", new byte[] {1}).statusCode()).isEqualTo(204);
    assertThat(s3.alice().getObjectTagging(g -> g.bucket(BUCKET).key("tagged")).tagSet())
        .singleElement().satisfies(tag -> assertThat(tag.key() + "=" + tag.value()).isEqualTo("a=b"));

    String broken = "<Tagging><TagSet><Tag><Key>a</Key>";
    assertError(post(aliceForm("{\"key\": \"broken\"}, {\"tagging\": \"" + broken + "\"}", "key", "broken", "tagging", broken),
        "f", new byte[] {1}), 400, "MalformedXML", "");
    assertThat(exists("broken")).isFalse();
  }

  @Test
  void aClientThatWaitsForContinueGetsItAndItsUploadStored() throws Exception {
    byte[] body = PostForms.body(aliceForm("{\"key\": \"continued\"}", "key", "continued"), "f", new byte[] {7});
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(s3.server().endpoint() + "/" + BUCKET))
        .header("Content-Type", PostForms.CONTENT_TYPE).expectContinue(true)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    assertThat(s3.alice().getObjectAsBytes(g -> g.bucket(BUCKET).key("continued")).asByteArray()).containsExactly(7);
  }

  @Test
  void theFormsAclFieldIsTheObjectsAclAsOnPutObject() throws Exception {
    assertThat(post(aliceForm("{\"key\": \"public\"}, {\"acl\": \"public-read\"}", "key", "public", "acl", "public-read"),
        "f", new byte[] {1}).statusCode()).isEqualTo(204);
    assertThat(post(aliceForm("{\"key\": \"private\"}, {\"acl\": \"private\"}", "key", "private", "acl", "private"),
        "f", new byte[] {2}).statusCode()).isEqualTo(204);

    // Anyone may read the public one, as its ACL says; the private one is the owner's alone.
    assertThat(anonymousGet("public").statusCode()).isEqualTo(200);
    assertThat(anonymousGet("private").statusCode()).isEqualTo(403);
    assertThat(s3.alice().getObjectAcl(g -> g.bucket(BUCKET).key("public")).grants())
        .anySatisfy(grant -> assertThat(grant.grantee().uri()).isEqualTo("http://acs.amazonaws.com/groups/global/AllUsers"));
    assertError(post(aliceForm("{\"key\": \"bad\"}, {\"acl\": \"no-such-acl\"}", "key", "bad", "acl", "no-such-acl"),
        "f", new byte[] {1}), 400, "InvalidArgument", "");
  }

  private HttpResponse<String> anonymousGet(String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(s3.server().endpoint() + "/" + BUCKET + "/" + key)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The file streams: a file past the policy's largest size is refused while the client still
   * holds most of it back, so the server cannot have been waiting for the whole body.
   */
  @Test
  void anOversizedFileIsRefusedBeforeTheBodyEnds() throws Exception {
    byte[] head = PostForms.head(aliceForm("{\"key\": \"stream\"}, [\"content-length-range\", 0, 1048576]", "key", "stream"), "f");
    long declared = head.length + 64L * 1024 * 1024;
    try (Socket socket = new Socket("127.0.0.1", s3.server().port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /" + BUCKET + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + PostForms.CONTENT_TYPE
          + "\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(head);
      out.write(new byte[2 * 1024 * 1024]); // 2 MiB of the announced 64: the rest never comes
      out.flush();
      String answer = readHead(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 400");
    }
    assertThat(exists("stream")).isFalse();
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
