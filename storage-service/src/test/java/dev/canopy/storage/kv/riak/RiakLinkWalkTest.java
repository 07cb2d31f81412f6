package dev.canopy.storage.kv.riak;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Link walking: ada links to charles (friend) and ada's notes (owns) and to a missing key;
 * charles links to babbage (friend).
 */
class RiakLinkWalkTest extends RiakHttpFixture {

  @BeforeEach
  void people() throws Exception {
    store("people", "ada", "Ada", "</buckets/people/keys/charles>; riaktag=\"friend\", "
        + "</buckets/notes/keys/ada-notes>; riaktag=\"owns\", </buckets/people/keys/ghost>; riaktag=\"friend\"");
    store("people", "charles", "Charles", "</buckets/people/keys/babbage>; riaktag=\"friend\"");
    store("people", "babbage", "Babbage", null);
    store("notes", "ada-notes", "Notes", null);
  }

  private void store(String bucket, String key, String value, String links) throws Exception {
    HttpRequest.Builder request = request("/buckets/" + bucket + "/keys/" + key).header("Content-Type", "text/plain");
    if (links != null) {
      request.header("Link", links);
    }
    assertThat(send(request.PUT(HttpRequest.BodyPublishers.ofString(value))).statusCode()).isEqualTo(204);
  }

  private MultipartBody walk(String path) throws Exception {
    HttpResponse<String> walked = get(path);
    assertThat(walked.statusCode()).isEqualTo(200);
    return MultipartBody.parse(walked.headers().firstValue("Content-Type").orElseThrow(), walked.body());
  }

  @Test
  void oneStepWithWildcardsReturnsEveryLinkedObjectThatExists() throws Exception {
    MultipartBody body = walk("/buckets/people/keys/ada/_,_,_");

    assertThat(body.parts()).hasSize(1);
    MultipartBody objects = body.parts().get(0).nested();
    assertThat(objects.parts()).extracting(MultipartBody.Part::body).containsExactlyInAnyOrder("Charles", "Notes");
    MultipartBody.Part charles = objects.parts().stream().filter(p -> p.body().equals("Charles")).findFirst().orElseThrow();
    assertThat(charles.header("Location")).isEqualTo("/buckets/people/keys/charles");
    assertThat(charles.header("X-Riak-Vclock")).isNotBlank();
    assertThat(charles.header("Content-Type")).isEqualTo("text/plain");
    assertThat(charles.header("Etag")).isEqualTo("vtag1");
    assertThat(charles.header("Link")).contains("</buckets/people/keys/babbage>; riaktag=\"friend\"");
  }

  @Test
  void aStepFiltersByBucketAndTag() throws Exception {
    assertThat(walk("/buckets/people/keys/ada/notes,_,_").parts().get(0).nested().parts())
        .extracting(MultipartBody.Part::body).containsExactly("Notes");
    assertThat(walk("/buckets/people/keys/ada/_,friend,_").parts().get(0).nested().parts())
        .extracting(MultipartBody.Part::body).containsExactly("Charles");
    assertThat(walk("/buckets/people/keys/ada/people,owns,1").parts().get(0).nested().parts()).isEmpty();
  }

  @Test
  void onlyKeptStepsAreReturnedAndTheLastIsKeptByDefault() throws Exception {
    MultipartBody lastOnly = walk("/buckets/people/keys/ada/_,friend,_/_,friend,_");
    MultipartBody both = walk("/buckets/people/keys/ada/_,friend,1/_,friend,_");

    assertThat(lastOnly.parts()).hasSize(1);
    assertThat(lastOnly.parts().get(0).nested().parts()).extracting(MultipartBody.Part::body).containsExactly("Babbage");
    assertThat(both.parts()).hasSize(2);
    assertThat(both.parts()).extracting(part -> part.nested().parts().stream().map(MultipartBody.Part::body).toList())
        .containsExactly(List.of("Charles"), List.of("Babbage"));
  }

  @Test
  void anObjectWithSiblingsShowsOneAndNamesTheOthers() throws Exception {
    putJson("/buckets/people/props", "{\"props\":{\"allow_mult\":true}}");
    store("people", "charles", "Charles again", null);

    MultipartBody.Part charles = walk("/buckets/people/keys/ada/_,friend,_").parts().get(0).nested().parts().get(0);

    assertThat(charles.header("Location")).isEqualTo("/buckets/people/keys/charles?vtag=vtag1");
    assertThat(charles.header("X-Riak-Sibling-VTags")).isEqualTo("vtag2");
    assertThat(charles.body()).isEqualTo("Charles");
  }

  @Test
  void aMissingStartIs404AndAMalformedWalk400() throws Exception {
    HttpResponse<String> missing = get("/buckets/people/keys/nobody/_,_,_");
    HttpResponse<String> malformed = get("/buckets/people/keys/ada/_,_");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("not found\n");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).startsWith("Invalid link walk query submitted.");
  }

  @Test
  void theOlderPathWalksToo() throws Exception {
    MultipartBody.Part charles = walk("/riak/people/ada/_,friend,_").parts().get(0).nested().parts().get(0);

    assertThat(charles.header("Location")).isEqualTo("/riak/people/charles");
  }
}
