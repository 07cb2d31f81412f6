package dev.canopy.storage.kv.riak;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Objects over real HTTP: what a Riak client reads back after it stores, deletes or asks conditionally. */
class RiakObjectsTest extends RiakHttpFixture {

  @Test
  void aStoredValueComesBackWithItsRiakHeaders() throws Exception {
    HttpResponse<String> stored = send(request("/buckets/users/keys/ada")
        .header("Content-Type", "application/json")
        .header("X-Riak-Meta-Team", "engines")
        .header("Link", "</buckets/users/keys/charles>; riaktag=\"friend\"")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\"}")));
    assertThat(stored.statusCode()).isEqualTo(204);
    assertThat(stored.body()).isEmpty();

    HttpResponse<String> read = get("/buckets/users/keys/ada");

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("{\"name\":\"Ada\"}");
    assertThat(read.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(read.headers().firstValue("X-Riak-Meta-Team")).hasValue("engines");
    assertThat(read.headers().firstValue("Link").orElseThrow())
        .contains("</buckets/users/keys/charles>; riaktag=\"friend\"")
        .contains("</buckets/users>; rel=\"up\"");
    assertThat(read.headers().firstValue("ETag")).hasValue("\"vtag1\"");
    assertThat(read.headers().firstValue("Last-Modified")).hasValue("Thu, 01 Jan 2026 00:00:01 GMT");
    assertThat(Base64.getDecoder().decode(read.headers().firstValue("X-Riak-Vclock").orElseThrow()))
        .containsExactly(0, 0, 0, 1);
  }

  @Test
  void aMissingKeyIsRiaksNotFound() throws Exception {
    HttpResponse<String> read = get("/buckets/users/keys/nobody");

    assertThat(read.statusCode()).isEqualTo(404);
    assertThat(read.body()).isEqualTo("not found\n");
    assertThat(read.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(read.headers().firstValue("X-Riak-Vclock")).isEmpty();
  }

  @Test
  void headAnswersTheHeadersWithoutTheValue() throws Exception {
    put("/buckets/b/keys/k", "text/plain", "hello");

    HttpResponse<String> head = send(request("/buckets/b/keys/k").method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(head.headers().firstValue("X-Riak-Vclock")).isPresent();
  }

  @Test
  void aWriteWithTheContextItReadReplacesTheValue() throws Exception {
    put("/buckets/b/keys/k", "text/plain", "one");
    String vclock = get("/buckets/b/keys/k").headers().firstValue("X-Riak-Vclock").orElseThrow();

    HttpResponse<String> written = send(request("/buckets/b/keys/k?returnbody=true")
        .header("Content-Type", "text/plain").header("X-Riak-Vclock", vclock)
        .PUT(HttpRequest.BodyPublishers.ofString("two")));

    assertThat(written.statusCode()).isEqualTo(200);
    assertThat(written.body()).isEqualTo("two");
    assertThat(written.headers().firstValue("ETag")).hasValue("\"vtag2\"");
    assertThat(get("/buckets/b/keys/k").body()).isEqualTo("two");
  }

  @Test
  void postToAKeyStoresLikePut() throws Exception {
    HttpResponse<String> posted = send(request("/buckets/b/keys/k")
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("posted")));

    assertThat(posted.statusCode()).isEqualTo(204);
    assertThat(get("/buckets/b/keys/k").body()).isEqualTo("posted");
  }

  @Test
  void postToABucketStoresUnderAKeyItChoosesAndSaysWhere() throws Exception {
    HttpResponse<String> created = send(request("/buckets/b/keys")
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("anonymous")));

    assertThat(created.statusCode()).isEqualTo(201);
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches("/buckets/b/keys/[0-9A-Za-z]{22}");
    assertThat(get(location).body()).isEqualTo("anonymous");
  }

  @Test
  void deleteAnswers204ThenTheKeyIsATombstone() throws Exception {
    put("/buckets/b/keys/k", "text/plain", "v");

    assertThat(delete("/buckets/b/keys/k").statusCode()).isEqualTo(204);

    HttpResponse<String> read = get("/buckets/b/keys/k");
    assertThat(read.statusCode()).isEqualTo(404);
    assertThat(read.body()).isEqualTo("not found\n");
    assertThat(read.headers().firstValue("X-Riak-Deleted")).hasValue("true");
    assertThat(read.headers().firstValue("X-Riak-Vclock")).isPresent();
    HttpResponse<String> again = delete("/buckets/b/keys/k");
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.body()).isEqualTo("not found\n");
  }

  @Test
  void deletingAKeyNeverWrittenIs404() throws Exception {
    assertThat(delete("/buckets/b/keys/never").statusCode()).isEqualTo(404);
  }

  @Test
  void aMatchingIfNoneMatchOrAnUnchangedDateIsNotModified() throws Exception {
    put("/buckets/b/keys/k", "text/plain", "v");
    HttpResponse<String> read = get("/buckets/b/keys/k");
    String etag = read.headers().firstValue("ETag").orElseThrow();
    String modified = read.headers().firstValue("Last-Modified").orElseThrow();

    HttpResponse<String> sameTag = send(request("/buckets/b/keys/k").header("If-None-Match", etag));
    HttpResponse<String> otherTag = send(request("/buckets/b/keys/k").header("If-None-Match", "\"other\""));
    HttpResponse<String> sameDate = send(request("/buckets/b/keys/k").header("If-Modified-Since", modified));
    HttpResponse<String> earlier = send(request("/buckets/b/keys/k")
        .header("If-Modified-Since", "Wed, 31 Dec 2025 00:00:00 GMT"));

    assertThat(sameTag.statusCode()).isEqualTo(304);
    assertThat(sameTag.body()).isEmpty();
    assertThat(otherTag.statusCode()).isEqualTo(200);
    assertThat(sameDate.statusCode()).isEqualTo(304);
    assertThat(earlier.statusCode()).isEqualTo(200);
  }

  @Test
  void keysAndBucketsArePercentDecodedAndLinksComeBackEncoded() throws Exception {
    send(request("/buckets/my%20bucket/keys/a%2Fb")
        .header("Content-Type", "text/plain")
        .header("Link", "</buckets/other%20one/keys/x%2Fy>; riaktag=\"best%20friend\"")
        .PUT(HttpRequest.BodyPublishers.ofString("slash")));

    HttpResponse<String> read = get("/buckets/my%20bucket/keys/a%2Fb");

    assertThat(read.body()).isEqualTo("slash");
    assertThat(read.headers().firstValue("Link").orElseThrow())
        .contains("</buckets/other+one/keys/x%2Fy>; riaktag=\"best+friend\"")
        .contains("</buckets/my+bucket>; rel=\"up\"");
  }

  @Test
  void theOlderRiakPathsServeTheSameObjects() throws Exception {
    put("/riak/b/k", "text/plain", "legacy");

    HttpResponse<String> read = get("/riak/b/k");
    HttpResponse<String> created = send(request("/riak/b")
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("new")));

    assertThat(read.body()).isEqualTo("legacy");
    assertThat(read.headers().firstValue("Link")).hasValue("</riak/b>; rel=\"up\"");
    assertThat(get("/buckets/b/keys/k").body()).isEqualTo("legacy");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location").orElseThrow()).startsWith("/riak/b/");
    assertThat(get("/riak/b").body()).contains("\"n_val\":3");
  }
}
