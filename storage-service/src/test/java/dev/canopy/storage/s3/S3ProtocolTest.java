package dev.canopy.storage.s3;

import static dev.canopy.storage.s3.S3TestServer.ALICE;
import static dev.canopy.storage.s3.S3TestServer.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The wire protocol below what an SDK lets a caller do: anonymous requests, bad bodies, names
 * the SDK refuses to send, error document shape, HEAD errors without body, metrics.
 */
class S3ProtocolTest {

  @TempDir static Path dir;
  static S3TestServer s3;
  static S3Client alice;
  static SignedHttp http;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3TestServer.withBucket(dir, "proto");
    alice = s3.alice;
    http = new SignedHttp(s3.endpoint(), ALICE);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Test
  void anonymousRequestsAreDeniedWithAnS3ErrorDocument() throws Exception {
    HttpResponse<String> get = http.anonymous("GET", "/proto/key");
    assertThat(get.statusCode()).isEqualTo(403);
    assertThat(get.body()).contains("<Code>AccessDenied</Code>").contains("<Resource>/proto/key</Resource>")
        .contains("<RequestId>").contains("<Message>");
    String requestId = get.headers().firstValue("x-amz-request-id").orElseThrow();
    assertThat(get.body()).contains(requestId);
    assertThat(get.headers().firstValue("content-type")).contains("application/xml");

    HttpResponse<String> head = http.anonymous("HEAD", "/proto/key");
    assertThat(head.statusCode()).isEqualTo(403);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("x-amz-request-id")).isPresent();
  }

  @Test
  void badCredentials() {
    try (S3Client unknown = s3.client("AKIAUNKNOWN000000000", "whatever");
        S3Client wrongSecret = s3.client(ALICE.accessKeyId(), "not-the-secret")) {
      assertS3Error(unknown::listBuckets, 403, "InvalidAccessKeyId");
      assertS3Error(wrongSecret::listBuckets, 403, "SignatureDoesNotMatch");
    }
  }

  @Test
  void bucketNamesTheSdkWillNotSend() throws Exception {
    for (String name : new String[] {"Upper", "under_score", "ab", "a..b", "192.168.1.1", "-lead"}) {
      HttpResponse<String> response = http.send("PUT", "/" + name, new byte[0]);
      assertThat(response.statusCode()).as(name).isEqualTo(400);
      assertThat(response.body()).as(name).contains("<Code>InvalidBucketName</Code>");
    }
  }

  @Test
  void malformedBodies() throws Exception {
    HttpResponse<String> create = http.send("PUT", "/xml-bucket", "<CreateBucketConfiguration><Loc".getBytes());
    assertThat(create.statusCode()).isEqualTo(400);
    assertThat(create.body()).contains("<Code>MalformedXML</Code>");

    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<CreateBucketConfiguration><LocationConstraint>&x;</LocationConstraint></CreateBucketConfiguration>";
    HttpResponse<String> entity = http.send("PUT", "/xxe-bucket", xxe.getBytes());
    assertThat(entity.body()).contains("<Code>MalformedXML</Code>").doesNotContain("root:");

    byte[] delete = "<Delete><Object><Key>a</Key></Object></Delete>".getBytes();
    HttpResponse<String> noMd5 = http.send("POST", "/proto?delete", delete);
    assertThat(noMd5.statusCode()).isEqualTo(400);
    assertThat(noMd5.body()).contains("<Code>InvalidRequest</Code>");
    String md5 = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(delete));
    HttpResponse<String> ok = http.send("POST", "/proto?delete", delete, "Content-MD5", md5);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("<Deleted><Key>a</Key></Deleted>");
  }

  @Test
  void contentMd5IsChecked() throws Exception {
    byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
    String wrong = Base64.getEncoder().encodeToString(new byte[16]);
    HttpResponse<String> put = http.send("PUT", "/proto/md5", body, "Content-MD5", wrong);
    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(put.body()).contains("<Code>BadDigest</Code>");
    assertS3Error(() -> alice.headObject(b -> b.bucket("proto").key("md5")), 404, null);
  }

  @Test
  void declaredLengthsAreChecked() throws Exception {
    HttpResponse<String> noLength = http.send(true, "PUT", "/proto/chunked", "streamed".getBytes());
    assertThat(noLength.statusCode()).isEqualTo(411);
    assertThat(noLength.body()).contains("<Code>MissingContentLength</Code>");
    HttpResponse<String> tooLarge = http.send("PUT", "/proto/huge", "x".getBytes(),
        "x-amz-decoded-content-length", Long.toString(6L << 30));
    assertThat(tooLarge.statusCode()).isEqualTo(400);
    assertThat(tooLarge.body()).contains("<Code>EntityTooLarge</Code>");
    // The connection still works for the next request after an unread body.
    assertThat(http.send("GET", "/proto?list-type=2", new byte[0]).statusCode()).isEqualTo(200);
  }

  @Test
  void unknownMethodsAndServiceLevelCalls() throws Exception {
    assertThat(http.send("DELETE", "/", new byte[0]).statusCode()).isEqualTo(405);
    HttpResponse<String> list = http.send("GET", "/", new byte[0]);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
  }

  @Test
  void requestsAreCountedByOperationAndStatus() throws Exception {
    alice.listBuckets();
    http.anonymous("GET", "/proto");
    var ok = s3.meters.find("canopy.s3.requests").tag("operation", "ListBuckets").tag("status", "200").counter();
    assertThat(ok).isNotNull();
    assertThat(ok.count()).isPositive();
    org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(
        s3.meters.find("canopy.s3.requests").tag("operation", "ListObjects").tag("status", "403").counter()).isNotNull());
    assertThat(s3.meters.find("canopy.s3.request.duration").timers()).isNotEmpty();
  }
}
