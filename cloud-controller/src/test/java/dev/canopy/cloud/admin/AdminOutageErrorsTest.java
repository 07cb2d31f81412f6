package dev.canopy.cloud.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store or grid outage through the real admin endpoint: {@code 503 ServiceUnavailable} as JSON,
 * the same answer EC2 and S3 give for it, and no trace of the exception in the body.
 */
class AdminOutageErrorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private AdminEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    endpoint = new AdminEndpoint(dir, null);
  }

  @AfterEach
  void stop() throws Exception {
    endpoint.close();
  }

  @Test
  void aStoreThatFailsWritesIsServiceUnavailable() throws Exception {
    endpoint.failStoreWrites(true);

    HttpResponse<String> created = endpoint.post("/admin/v1/accounts", "{\"name\": \"acme\"}");

    assertServiceUnavailable(created);
    endpoint.failStoreWrites(false);
    assertThat(endpoint.identity.findByName("acme")).as("nothing was half written").isEmpty();
  }

  @Test
  void aGridMemberThatStoppedIsServiceUnavailable() throws Exception {
    endpoint.stopGrid();

    assertServiceUnavailable(endpoint.get("/admin/v1/accounts"));
  }

  private static void assertServiceUnavailable(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.path("code").asText()).isEqualTo("ServiceUnavailable");
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "dev.canopy", "hazelcast", "simulated");
  }
}
