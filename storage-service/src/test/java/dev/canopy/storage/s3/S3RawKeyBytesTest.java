package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.SigV4Signer;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Bytes that are not ASCII must reach S3 percent-encoded: raw in a request line, the HTTP decoder
 * cannot keep them (each becomes U+FFFD), so two different keys would name one object. They are
 * InvalidURI, signed or not, and nothing is stored.
 */
class S3RawKeyBytesTest {

  private static final String BUCKET = "raw-bytes";
  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  /**
   * Alice's request signed for the path as the server reads it ({@code seenPath}), written with
   * {@code wirePath}'s characters as single bytes (ISO-8859-1). Returns the whole answer.
   */
  private static String signedRaw(String method, String wirePath, String seenPath, String body) throws Exception {
    URI endpoint = s3.server().endpoint();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new SigV4Signer(Clock.systemUTC()).sign(method, new URI(endpoint + seenPath),
        Map.of(), bytes, S3TestServer.ALICE, S3TestServer.REGION, "s3");
    StringBuilder head = new StringBuilder(method + " " + wirePath + " HTTP/1.1\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aRawByteThatIsNotUtf8NeitherStoresNorReadsAnotherKeysObject() throws Exception {
    // U+00FF is C3 BF in UTF-8: the key an SDK sends as %C3%BF. A lone raw FF byte is not UTF-8.
    s3.alice().putObject(b -> b.bucket(BUCKET).key("key-\u00FF"), RequestBody.fromString("the real key's object"));

    String get = signedRaw("GET", "/" + BUCKET + "/key-\u00FF", "/" + BUCKET + "/key-\u00FF", "");
    assertThat(get).startsWith("HTTP/1.1 400").contains("<Code>InvalidURI</Code>").doesNotContain("the real key's object");

    String put = signedRaw("PUT", "/" + BUCKET + "/other-\u00FF", "/" + BUCKET + "/other-\u00FF", "planted");
    assertThat(put).startsWith("HTTP/1.1 400").contains("<Code>InvalidURI</Code>");
    assertThat(s3.alice().listObjectsV2(b -> b.bucket(BUCKET)).contents()).extracting(S3Object::key)
        .containsExactly("key-\u00FF");
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("key-\u00FF")).asUtf8String())
        .isEqualTo("the real key's object");
  }

  @Test
  void rawUtf8BytesInThePathAreInvalidUriToo() throws Exception {
    // C3 A9 (é) raw: legal UTF-8, but the request line carries bytes the decoder reads one by one.
    String answer = signedRaw("PUT", "/" + BUCKET + "/caf\u00C3\u00A9", "/" + BUCKET + "/caf\u00C3\u00A9", "x");
    assertThat(answer).startsWith("HTTP/1.1 400").contains("<Code>InvalidURI</Code>");
    assertThat(s3.alice().listObjectsV2(b -> b.bucket(BUCKET).prefix("caf")).contents()).isEmpty();
  }
}
