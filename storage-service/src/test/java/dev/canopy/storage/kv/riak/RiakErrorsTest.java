package dev.canopy.storage.kv.riak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.QuorumUnreachableException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every error a client can cause or meet, with Riak's status and a plain-text body, never a stack trace. */
class RiakErrorsTest extends RiakHttpFixture {

  private static final String R_WORDS =
      "r query parameter must be an integer or one of the following words: 'one', 'quorum' or 'all'\n";

  @Test
  void aQuorumParameterThatIsNoNumberOrWordIs400NamingIt() throws Exception {
    HttpResponse<String> read = get("/buckets/b/keys/k?r=most");
    HttpResponse<String> negative = get("/buckets/b/keys/k?pr=-1");
    HttpResponse<String> write = put("/buckets/b/keys/k?w=lots", "text/plain", "v");

    assertThat(read.statusCode()).isEqualTo(400);
    assertThat(read.body()).isEqualTo(R_WORDS);
    assertThat(read.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(negative.body()).startsWith("pr query parameter");
    assertThat(write.statusCode()).isEqualTo(400);
    assertThat(write.body()).startsWith("w query parameter");
  }

  @Test
  void aQuorumAboveTheBucketsNValIsTheStores400() throws Exception {
    HttpResponse<String> read = get("/buckets/b/keys/k?r=4");

    assertThat(read.statusCode()).isEqualTo(400);
    assertThat(read.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(read.body()).isEqualTo("a quorum of 4 is more than the bucket's n_val of 3\n");
  }

  @Test
  void anUnreachableQuorumIs503() throws Exception {
    kv.failNext(new QuorumUnreachableException("read of b/k", 2, 1));

    HttpResponse<String> read = get("/buckets/b/keys/k");

    assertThat(read.statusCode()).isEqualTo(503);
    assertThat(read.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(read.body()).isEqualTo("read of b/k: 1 of the 2 replicas needed answered\n");
  }

  @Test
  void anUnexpectedFailureIsAGeneric500() throws Exception {
    kv.failNext(new IllegalStateException("disk /var/lib/canopy/secret broke"));

    HttpResponse<String> write = put("/buckets/b/keys/k", "text/plain", "v");

    assertThat(write.statusCode()).isEqualTo(500);
    assertThat(write.body()).isEqualTo("Internal Server Error\n");
  }

  @Test
  void aVclockThatIsNotBase64OrNotTheStoresIs400() throws Exception {
    HttpResponse<String> garbage = send(request("/buckets/b/keys/k").header("Content-Type", "text/plain")
        .header("X-Riak-Vclock", "not*base64!").PUT(HttpRequest.BodyPublishers.ofString("v")));
    HttpResponse<String> foreign = send(request("/buckets/b/keys/k").header("Content-Type", "text/plain")
        .header("X-Riak-Vclock", "AAE=").PUT(HttpRequest.BodyPublishers.ofString("v")));

    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).isEqualTo("X-Riak-Vclock is not a base64-encoded vector clock\n");
    assertThat(foreign.statusCode()).isEqualTo(400);
    assertThat(foreign.body()).isEqualTo("the context is not one this store issued\n");
  }

  @Test
  void aValueOverTheLimitIs413BeforeItIsSent() throws Exception {
    byte[] tooBig = new byte[ObjectWrites.VALUE_BYTES_MAX + 1];

    HttpResponse<String> write = send(request("/buckets/b/keys/big").header("Content-Type", "application/octet-stream")
        .expectContinue(true).PUT(HttpRequest.BodyPublishers.ofByteArray(tooBig)));

    assertThat(write.statusCode()).isEqualTo(413);
    assertThat(write.body()).isEqualTo("Object too large: the limit is 5242880 bytes\n");
    assertThat(get("/buckets/b/keys/big").statusCode()).isEqualTo(404);
  }

  @Test
  void aValueAtTheLimitIsStored() throws Exception {
    byte[] largest = new byte[ObjectWrites.VALUE_BYTES_MAX];
    Arrays.fill(largest, (byte) 'x');

    HttpResponse<String> write = send(request("/buckets/b/keys/big").header("Content-Type", "text/plain")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(largest)));

    assertThat(write.statusCode()).isEqualTo(204);
    assertThat(get("/buckets/b/keys/big").body()).hasSize(ObjectWrites.VALUE_BYTES_MAX);
  }

  @Test
  void aWriteWithoutAValidContentTypeIsRefused() throws Exception {
    HttpResponse<String> missing = send(request("/buckets/b/keys/k").PUT(HttpRequest.BodyPublishers.ofString("v")));
    HttpResponse<String> invalid = put("/buckets/b/keys/k", "textplain", "v");

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).isEqualTo("Missing Content-Type request header");
    assertThat(invalid.statusCode()).isEqualTo(415);
    assertThat(invalid.body()).isEqualTo("\"textplain\" is not a valid media type for the Content-type header.\n");
  }

  @Test
  void aLinkHeaderNotInRiaksFormIs400() throws Exception {
    HttpResponse<String> write = send(request("/buckets/b/keys/k").header("Content-Type", "text/plain")
        .header("Link", "<http://example.com/other>; rel=\"next\"").PUT(HttpRequest.BodyPublishers.ofString("v")));

    assertThat(write.statusCode()).isEqualTo(400);
    assertThat(write.body()).isEqualTo(
        "Invalid Link header. Links must be of the form\n</buckets/BUCKET/keys/KEY>; riaktag=\"TAG\"\n");
  }

  @Test
  void aStoreRefusalOfAWriteIs400() throws Exception {
    kv.failNext(new InvalidRequestException("a key must be at most 1024 bytes"));

    HttpResponse<String> write = put("/buckets/b/keys/k", "text/plain", "v");

    assertThat(write.statusCode()).isEqualTo(400);
    assertThat(write.body()).isEqualTo("a key must be at most 1024 bytes\n");
  }

  @Test
  void unknownPathsAre404AndUnknownMethods405() throws Exception {
    HttpResponse<String> unknown = get("/nothing/here");
    HttpResponse<String> patch = send(request("/buckets/b/keys/k").method("PATCH", HttpRequest.BodyPublishers.ofString("x")));

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(patch.statusCode()).isEqualTo(405);
    assertThat(patch.headers().firstValue("Allow")).hasValue("DELETE, GET, HEAD, POST, PUT");
    // The refused requests' bodies were drained: the connection still serves.
    assertThat(get("/ping").body()).isEqualTo("OK");
  }

  @Test
  void aRefusedWriteLeavesTheConnectionReadyForTheNextRequest() throws Exception {
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      String body = "x".repeat(64 * 1024);
      socket.getOutputStream().write(("PUT /buckets/b/keys/k HTTP/1.1\r\nHost: riak\r\nContent-Length: " + body.length()
          + "\r\n\r\n" + body + "GET /ping HTTP/1.1\r\nHost: riak\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answers = readUntil(socket.getInputStream(), "\r\n\r\nOK");

      assertThat(answers).startsWith("HTTP/1.1 400 Bad Request").contains("Missing Content-Type request header")
          .contains("HTTP/1.1 200 OK");
    }
  }

  private static String readUntil(InputStream in, String end) throws Exception {
    StringBuilder read = new StringBuilder();
    int b;
    while (!read.toString().endsWith(end) && (b = in.read()) >= 0) {
      read.append((char) b);
    }
    return read.toString();
  }
}
