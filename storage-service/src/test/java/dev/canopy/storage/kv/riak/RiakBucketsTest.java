package dev.canopy.storage.kv.riak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bucket-level resources: key listing (whole and streamed), properties, and the node's ping and stats. */
class RiakBucketsTest extends RiakHttpFixture {

  private static final ObjectMapper JSON = new ObjectMapper();

  private void storeKeys(String... keys) throws Exception {
    for (String key : keys) {
      put("/buckets/b/keys/" + key, "text/plain", key);
    }
  }

  @Test
  void keysTrueListsEveryLiveKeyInOneObject() throws Exception {
    storeKeys("a", "b", "c");
    delete("/buckets/b/keys/b");

    HttpResponse<String> listed = get("/buckets/b/keys?keys=true");

    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(listed.body()).isEqualTo("{\"keys\":[\"a\",\"c\"]}");
    assertThat(get("/buckets/b/keys").body()).isEqualTo("{}");
  }

  @Test
  void keysStreamSendsOneObjectPerPageThenAnEmptyOne() throws Exception {
    storeKeys("k1", "k2", "k3", "k4", "k5");

    assertStreamedInPages();
  }

  /** A listing that has ended before the handler sees it (a fast store) still sends every page first. */
  @Test
  void keysStreamEndsAfterItsPagesWhenTheListingEndsAtOnce() throws Exception {
    storeKeys("k1", "k2", "k3", "k4", "k5");
    kv.listInline();

    assertStreamedInPages();
  }

  private void assertStreamedInPages() throws Exception {
    HttpResponse<String> streamed = get("/buckets/b/keys?keys=stream");

    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(streamed.body())) {
      it.forEachRemaining(objects::add);
    }
    assertThat(objects).extracting(Object::toString).containsExactly(
        "{\"keys\":[\"k1\",\"k2\"]}", "{\"keys\":[\"k3\",\"k4\"]}", "{\"keys\":[\"k5\"]}", "{\"keys\":[]}");
  }

  @Test
  void propsAreRiaksJsonAndAPutChangesOnlyWhatItNames() throws Exception {
    HttpResponse<String> defaults = get("/buckets/b/props");
    assertThat(defaults.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(defaults.body())).isEqualTo(JSON.readTree("{\"props\":{\"name\":\"b\",\"n_val\":3,"
        + "\"allow_mult\":false,\"last_write_wins\":false,\"r\":\"quorum\",\"w\":\"quorum\",\"dw\":\"quorum\","
        + "\"pr\":0,\"pw\":0}}"));

    HttpResponse<String> set = putJson("/buckets/b/props", "{\"props\":{\"n_val\":2,\"r\":\"one\",\"w\":2,\"allow_mult\":true}}");

    assertThat(set.statusCode()).isEqualTo(204);
    JsonNode props = JSON.readTree(get("/buckets/b/props").body()).get("props");
    assertThat(props.get("n_val").intValue()).isEqualTo(2);
    assertThat(props.get("r").textValue()).isEqualTo("one");
    assertThat(props.get("w").intValue()).isEqualTo(2);
    assertThat(props.get("dw").textValue()).isEqualTo("quorum");
    assertThat(props.get("allow_mult").booleanValue()).isTrue();
  }

  @Test
  void aPropsGetCanBeSentBackAsIs() throws Exception {
    String read = get("/buckets/b/props").body();

    assertThat(putJson("/buckets/b/props", read).statusCode()).isEqualTo(204);
  }

  @Test
  void deletingPropsResetsTheDefaults() throws Exception {
    putJson("/buckets/b/props", "{\"props\":{\"n_val\":1}}");

    assertThat(delete("/buckets/b/props").statusCode()).isEqualTo(204);

    assertThat(JSON.readTree(get("/buckets/b/props").body()).get("props").get("n_val").intValue()).isEqualTo(3);
  }

  @Test
  void badPropsAre400NamingTheProblem() throws Exception {
    assertBad("{\"props\":{\"r\":4}}", "r: 4 is more than the bucket's n_val of 3\n");
    assertBad("{\"props\":{\"n_val\":1,\"w\":2}}", "w: 2 is more than the bucket's n_val of 1\n");
    assertBad("{\"props\":{\"w\":\"most\"}}", "w: must be an integer or one of 'one', 'quorum' or 'all'\n");
    assertBad("{\"props\":{\"n_val\":0}}", "n_val: must be an integer from 1 to 5\n");
    assertBad("{\"props\":{\"allow_mult\":\"yes\"}}", "allow_mult: must be true or false\n");
    assertBad("{\"props\":{\"allow_mult\":true,\"last_write_wins\":true}}",
        "allow_mult and last_write_wins cannot both be true\n");
    assertBad("{\"props\":{\"young_vclock\":20}}",
        "young_vclock: not a bucket property this store supports (n_val, r, w, dw, pr, pw, allow_mult, last_write_wins)\n");
    assertBad("{\"n_val\":2}", "bucket PUT must be a JSON object of the form:\n{\"props\":{...bucket properties...}}");
    assertBad("not json", "bucket PUT must be a JSON object of the form:\n{\"props\":{...bucket properties...}}");
    assertThat(JSON.readTree(get("/buckets/b/props").body()).get("props").get("n_val").intValue()).isEqualTo(3);
  }

  private void assertBad(String body, String message) throws Exception {
    HttpResponse<String> answer = putJson("/buckets/b/props", body);
    assertThat(answer.statusCode()).as(body).isEqualTo(400);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(answer.body()).isEqualTo(message);
  }

  @Test
  void propsMustBeJson() throws Exception {
    assertThat(put("/buckets/b/props", "text/plain", "{\"props\":{}}").statusCode()).isEqualTo(415);
  }

  @Test
  void pingAnswersOk() throws Exception {
    HttpResponse<String> ping = get("/ping");

    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ping.body()).isEqualTo("OK");
  }

  @Test
  void statsUseRiaksNames() throws Exception {
    HttpResponse<String> stats = get("/stats");

    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(stats.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode json = JSON.readTree(stats.body());
    assertThat(json.get("nodename").textValue()).isEqualTo("storage-1");
    assertThat(json.get("node_gets").longValue()).isEqualTo(10);
    assertThat(json.get("node_puts").longValue()).isEqualTo(7);
    assertThat(json.get("node_get_fsm_time_median").longValue()).isEqualTo(150);
    assertThat(json.get("node_get_fsm_time_99").longValue()).isEqualTo(900);
    assertThat(json.get("node_put_fsm_time_median").longValue()).isEqualTo(250);
    assertThat(json.get("node_put_fsm_time_99").longValue()).isEqualTo(1200);
    assertThat(json.get("read_repairs").longValue()).isEqualTo(3);
    assertThat(json.get("ring_num_partitions").intValue()).isEqualTo(64);
    assertThat(json.get("ring_ownership").textValue()).isEqualTo("[{'storage-1',32}]");
    assertThat(json.get("ring_members")).extracting(JsonNode::textValue).containsExactly("storage-1", "storage-2");
    assertThat(json.get("handoffs_completed").longValue()).isEqualTo(4);
    assertThat(json.get("aae_exchanges").longValue()).isEqualTo(5);
  }
}
