package dev.canopy.storage.kv.riak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The curl examples of docs/riak-http.md, run for real. */
class RiakCurlTest extends RiakHttpFixture {

  @Test
  void storeReadAndDeleteWithCurl() throws Exception {
    String put = Curl.run("-w", "%{http_code}", "-X", "PUT", "-H", "Content-Type: text/plain",
        "-H", "X-Riak-Meta-Color: blue", "-d", "hello", base + "/buckets/test/keys/greeting");
    String read = Curl.run("-i", base + "/buckets/test/keys/greeting");
    String deleted = Curl.run("-w", "%{http_code}", "-X", "DELETE", base + "/buckets/test/keys/greeting");
    String missing = Curl.run("-w", "%{http_code}", base + "/buckets/test/keys/greeting");

    assertThat(put).isEqualTo("204");
    assertThat(read).startsWith("HTTP/1.1 200 OK").contains("X-Riak-Vclock: ").contains("X-Riak-Meta-Color: blue")
        .contains("Content-Type: text/plain").endsWith("\r\n\r\nhello");
    assertThat(deleted).isEqualTo("204");
    assertThat(missing).isEqualTo("not found\n404");
  }

  @Test
  void siblingsWithCurl() throws Exception {
    Curl.run("-X", "PUT", "-H", "Content-Type: application/json", "-d", "{\"props\":{\"allow_mult\":true}}",
        base + "/buckets/test/props");
    Curl.run("-X", "PUT", "-H", "Content-Type: text/plain", "-d", "one", base + "/buckets/test/keys/k");
    Curl.run("-X", "PUT", "-H", "Content-Type: text/plain", "-d", "two", base + "/buckets/test/keys/k");

    String text = Curl.run("-w", "%{http_code}", base + "/buckets/test/keys/k");
    String multipart = Curl.run("-H", "Accept: multipart/mixed", base + "/buckets/test/keys/k");

    assertThat(text).isEqualTo("Siblings:\nvtag1\nvtag2\n300");
    assertThat(multipart).contains("\r\n\r\none\r\n--").contains("\r\n\r\ntwo\r\n--");
  }

  @Test
  void aChunkedValueIsCutOffAtTheLimitWith413() throws Exception {
    String answer = Curl.run("-w", "%{http_code}", "-X", "PUT", "-H", "Content-Type: application/octet-stream",
        "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + oversized(), base + "/buckets/test/keys/big");

    assertThat(answer).isEqualTo("Object too large: the limit is 5242880 bytes\n413");
    assertThat(get("/buckets/test/keys/big").statusCode()).isEqualTo(404);
  }

  private static String oversized() throws IOException {
    Path file = Files.createTempFile("riak-oversized", ".bin");
    file.toFile().deleteOnExit();
    Files.write(file, new byte[ObjectWrites.VALUE_BYTES_MAX + 64 * 1024]);
    return file.toString();
  }
}
