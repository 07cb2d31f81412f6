package dev.canopy.cloud.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SampleBatch;
import dev.canopy.cloud.metering.SampleBatchRecord;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /admin/v1/samples} through the real admin endpoint: by instance or account, over a range. */
class AdminSamplesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VM_A = "i-0000000000000000a";
  private static final String VM_B = "i-0000000000000000b";
  private static final String ACME = "111122223333";

  @TempDir static Path dir;
  static AdminEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> owners = Map.of(VM_A, ACME, VM_B, "444455556666");
    MeteringService metering = new MeteringService(new InMemoryTable<SampleBatchRecord>(), id -> Optional.ofNullable(owners.get(id)),
        Clock.systemUTC());
    var samples = JsonNodeFactory.instance.arrayNode()
        .add(sample(VM_A, 20_000, 2)).add(sample(VM_B, 10_000, 50)).add(sample(VM_A, 10_000, 1)).add(sample(VM_A, 30_000, 3));
    metering.ingest(new SampleBatch("nd-1", "1-aa", samples));
    endpoint = new AdminEndpoint(dir, metering);
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
  }

  @Test
  void anInstancesSamplesOldestFirst() throws Exception {
    JsonNode answer = ok(endpoint.get("/admin/v1/samples?instanceId=" + VM_A));
    assertThat(rx(answer)).containsExactly(1L, 2L, 3L);
    assertThat(answer.path("truncated").asBoolean(true)).isFalse();
  }

  @Test
  void anInstancesSamplesInAHalfOpenRange() throws Exception {
    assertThat(rx(ok(endpoint.get("/admin/v1/samples?instanceId=" + VM_A + "&fromMs=10000&toMs=30000")))).containsExactly(1L, 2L);
    assertThat(rx(ok(endpoint.get("/admin/v1/samples?instanceId=" + VM_A + "&fromMs=20000")))).containsExactly(2L, 3L);
  }

  @Test
  void anAccountsSamples() throws Exception {
    assertThat(rx(ok(endpoint.get("/admin/v1/samples?accountId=" + ACME + "&toMs=25000")))).containsExactly(1L, 2L);
    assertThat(rx(ok(endpoint.get("/admin/v1/samples?accountId=444455556666")))).containsExactly(50L);
  }

  @Test
  void malformedQueriesAreInvalidRequest() throws Exception {
    for (String query : List.of("", "?instanceId=" + VM_A + "&accountId=" + ACME, "?instanceId=vm-1", "?accountId=acme",
        "?instanceId=" + VM_A + "&fromMs=-5", "?instanceId=" + VM_A + "&fromMs=200&toMs=100", "?instanceId=" + VM_A + "&toMs=soon",
        "?instanceId=" + VM_A + "&fromMs=99999999999999999999")) {
      HttpResponse<String> response = endpoint.get("/admin/v1/samples" + query);
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).path("code").asText()).as(query).isEqualTo("InvalidRequest");
    }
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static List<Long> rx(JsonNode answer) {
    return StreamSupport.stream(answer.path("samples").spliterator(), false).map(s -> s.path("rxBytes").asLong()).toList();
  }

  private static JsonNode sample(String instanceId, long timestampMs, long rxBytes) {
    return JsonNodeFactory.instance.objectNode().put("instanceId", instanceId).put("mac", "52:54:00:00:0a:01").put("device", "vnet0")
        .put("timestampMs", timestampMs).put("intervalMs", 10_000).put("rxBytes", rxBytes).put("rxPackets", 1)
        .put("txBytes", 0).put("txPackets", 0);
  }
}
