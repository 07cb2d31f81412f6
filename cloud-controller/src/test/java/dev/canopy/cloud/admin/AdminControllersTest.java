package dev.canopy.cloud.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.membership.ControllerSet;
import dev.canopy.cloud.membership.GridMembership;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /admin/v1/controllers} through the real admin endpoint, over a membership record in its grid. */
class AdminControllersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static AdminEndpoint endpoint;
  static final AtomicReference<GridMembership> membership = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    endpoint = AdminEndpoint.withControllers(dir, grid -> {
      GridMembership record = new GridMembership(grid.map(GridMembership.MAP, ControllerSet.class), () -> Set.of(1, 2, 3, 4));
      record.seedIfAbsent(ControllerSet.seed(Map.of(1, "127.0.0.11", 2, "127.0.0.12", 3, "127.0.0.13")));
      membership.set(record);
      return record;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
  }

  @Test
  void joinThenLeaveOneAtATimeWithReadableRefusals() throws Exception {
    JsonNode listed = answer(endpoint.get("/admin/v1/controllers"), 200);
    assertThat(listed.path("version").asLong()).isZero();
    assertThat(listed.path("settled").asBoolean()).isTrue();
    assertThat(listed.path("controllers").size()).isEqualTo(3);

    JsonNode joined = answer(endpoint.post("/admin/v1/controllers", "{\"id\": 4, \"address\": \"127.0.0.14\"}"), 201);
    assertThat(joined.path("version").asLong()).isEqualTo(1);
    assertThat(joined.path("settled").asBoolean()).isFalse();
    assertThat(joined.path("controllers").get(3).path("address").asText()).isEqualTo("127.0.0.14");

    JsonNode inProgress = answer(endpoint.delete("/admin/v1/controllers/1"), 409);
    assertThat(inProgress.path("code").asText()).isEqualTo("ChangeInProgress");
    assertThat(inProgress.path("message").asText()).contains("one change at a time");

    membership.get().settle(1); // what the holder does once it wins a lease under version 1
    JsonNode left = answer(endpoint.delete("/admin/v1/controllers/1"), 200);
    assertThat(left.path("version").asLong()).isEqualTo(2);
    assertThat(left.path("controllers").findValuesAsText("address")).containsExactly("127.0.0.12", "127.0.0.13", "127.0.0.14");

    membership.get().settle(2);
    assertThat(answer(endpoint.delete("/admin/v1/controllers/9"), 404).path("code").asText()).isEqualTo("NoSuchController");
  }

  @Test
  void malformedRequestsAreInvalidRequestNotServerErrors() throws Exception {
    assertThat(answer(endpoint.post("/admin/v1/controllers", "{\"id\": \"four\"}"), 400).path("code").asText()).isEqualTo("InvalidRequest");
    assertThat(answer(endpoint.post("/admin/v1/controllers", "not json"), 400).path("code").asText()).isEqualTo("InvalidRequest");
    assertThat(answer(endpoint.delete("/admin/v1/controllers/x"), 400).path("code").asText()).isEqualTo("InvalidRequest");
  }

  @Test
  void aTenantCannotChangeTheControllerSet() throws Exception {
    var tenant = endpoint.identity.createAccount("acme").credential();
    HttpResponse<String> refused = endpoint.getAs(tenant, "/admin/v1/controllers");
    assertThat(refused.statusCode()).isEqualTo(403);
  }

  private static JsonNode answer(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

}
