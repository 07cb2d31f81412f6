package dev.canopy.storage.kv.riak;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Siblings as a Riak client sees them: 300 Multiple Choices, as vtags or as a multipart body, and their resolution. */
class RiakSiblingsTest extends RiakHttpFixture {

  @BeforeEach
  void twoConcurrentWrites() throws Exception {
    assertThat(putJson("/buckets/cart/props", "{\"props\":{\"allow_mult\":true}}").statusCode()).isEqualTo(204);
    send(request("/buckets/cart/keys/alice").header("Content-Type", "text/plain")
        .header("X-Riak-Meta-Device", "phone").PUT(HttpRequest.BodyPublishers.ofString("apples")));
    send(request("/buckets/cart/keys/alice").header("Content-Type", "application/json")
        .header("Link", "</buckets/shop/keys/pears>; riaktag=\"item\"")
        .PUT(HttpRequest.BodyPublishers.ofString("[\"pears\"]")));
  }

  @Test
  void aPlainReadListsTheSiblingsVtags() throws Exception {
    HttpResponse<String> read = get("/buckets/cart/keys/alice");

    assertThat(read.statusCode()).isEqualTo(300);
    assertThat(read.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(read.body()).isEqualTo("Siblings:\nvtag1\nvtag2\n");
    assertThat(read.headers().firstValue("X-Riak-Vclock")).isPresent();
    assertThat(read.headers().firstValue("ETag")).isPresent();
    assertThat(read.headers().firstValue("Last-Modified")).hasValue("Thu, 01 Jan 2026 00:00:02 GMT");
  }

  @Test
  void acceptingMultipartGetsEverySiblingWithItsHeaders() throws Exception {
    HttpResponse<String> read = send(request("/buckets/cart/keys/alice").header("Accept", "multipart/mixed"));

    assertThat(read.statusCode()).isEqualTo(300);
    MultipartBody body = MultipartBody.parse(read.headers().firstValue("Content-Type").orElseThrow(), read.body());
    assertThat(body.parts()).hasSize(2);
    MultipartBody.Part apples = body.parts().get(0);
    assertThat(apples.body()).isEqualTo("apples");
    assertThat(apples.header("Content-Type")).isEqualTo("text/plain");
    assertThat(apples.header("Etag")).isEqualTo("vtag1");
    assertThat(apples.header("X-Riak-Meta-Device")).isEqualTo("phone");
    assertThat(apples.header("Last-Modified")).isEqualTo("Thu, 01 Jan 2026 00:00:01 GMT");
    assertThat(apples.header("Link")).isEqualTo("</buckets/cart>; rel=\"up\"");
    MultipartBody.Part pears = body.parts().get(1);
    assertThat(pears.body()).isEqualTo("[\"pears\"]");
    assertThat(pears.header("Content-Type")).isEqualTo("application/json");
    assertThat(pears.header("Link")).contains("</buckets/shop/keys/pears>; riaktag=\"item\"");
  }

  @Test
  void aWildcardAcceptGetsTheTextList() throws Exception {
    assertThat(send(request("/buckets/cart/keys/alice").header("Accept", "*/*")).body()).startsWith("Siblings:\n");
    assertThat(send(request("/buckets/cart/keys/alice").header("Accept", "text/plain, multipart/mixed;q=0.5")).body())
        .startsWith("Siblings:\n");
  }

  @Test
  void aVtagPicksOneSibling() throws Exception {
    HttpResponse<String> one = get("/buckets/cart/keys/alice?vtag=vtag2");
    HttpResponse<String> none = get("/buckets/cart/keys/alice?vtag=nosuch");

    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body()).isEqualTo("[\"pears\"]");
    assertThat(one.headers().firstValue("ETag")).hasValue("\"vtag2\"");
    assertThat(none.statusCode()).isEqualTo(404);
  }

  @Test
  void writingBackWithTheContextResolvesTheSiblings() throws Exception {
    String vclock = get("/buckets/cart/keys/alice").headers().firstValue("X-Riak-Vclock").orElseThrow();

    HttpResponse<String> resolved = send(request("/buckets/cart/keys/alice?returnbody=true")
        .header("Content-Type", "text/plain").header("X-Riak-Vclock", vclock)
        .PUT(HttpRequest.BodyPublishers.ofString("apples and pears")));

    assertThat(resolved.statusCode()).isEqualTo(200);
    assertThat(resolved.body()).isEqualTo("apples and pears");
    assertThat(get("/buckets/cart/keys/alice").statusCode()).isEqualTo(200);
  }

  @Test
  void aBlindWriteWithReturnbodyAnswersTheSiblings() throws Exception {
    HttpResponse<String> written = send(request("/buckets/cart/keys/alice?returnbody=true")
        .header("Content-Type", "text/plain").header("Accept", "multipart/mixed")
        .PUT(HttpRequest.BodyPublishers.ofString("plums")));

    assertThat(written.statusCode()).isEqualTo(300);
    MultipartBody body = MultipartBody.parse(written.headers().firstValue("Content-Type").orElseThrow(), written.body());
    assertThat(body.parts()).extracting(MultipartBody.Part::body).isEqualTo(List.of("apples", "[\"pears\"]", "plums"));
  }
}
