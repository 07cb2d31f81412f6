package dev.canopy.cloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.cloud.membership.ControllerSet;
import dev.canopy.cloud.membership.GridMembership;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET|POST /admin/v1/controllers} and {@code DELETE /admin/v1/controllers/{id}}: the
 * controller set, a join, a leave (docs/admin-api.md). Refusals ({@link
 * dev.canopy.cloud.membership.MembershipRefused}) keep their own code and status (unknown id 404,
 * change in progress or quorum at stake 409), rendered like every other AWS error of the API.
 */
final class ControllerRequests {

  private final GridMembership membership;
  private final ObjectMapper json;

  ControllerRequests(GridMembership membership, ObjectMapper json) {
    this.membership = membership;
    this.json = json;
  }

  Map<String, Object> list() {
    return view(membership.current());
  }

  /** Body {@code {"id": N, "address": "host"}}. */
  Map<String, Object> join(byte[] body) {
    JsonNode request;
    try {
      request = body.length == 0 ? null : json.readTree(body);
    } catch (IOException e) {
      throw new BadRequest("the body is not valid JSON");
    }
    if (request == null || !request.path("id").canConvertToInt() || !request.path("id").isIntegralNumber()
        || !request.path("address").isTextual()) {
      throw new BadRequest("the body must be {\"id\": <controller id>, \"address\": \"<host or IP>\"}");
    }
    int id = request.get("id").asInt();
    String address = request.get("address").asText();
    return view(membership.join(id, address));
  }

  Map<String, Object> leave(String idText) {
    int id;
    try {
      id = Integer.parseInt(idText);
    } catch (NumberFormatException e) {
      throw new BadRequest("a controller id is a number, not " + idText);
    }
    return view(membership.leave(id));
  }

  private Map<String, Object> view(ControllerSet set) {
    Set<Integer> reachable = membership.reachable();
    List<Map<String, Object>> controllers = new ArrayList<>();
    set.controllers().forEach((id, address) -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", id);
      entry.put("address", address);
      entry.put("reachable", reachable.contains(id));
      controllers.add(entry);
    });
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("version", set.version());
    answer.put("settled", !set.changeInProgress());
    answer.put("controllers", controllers);
    return answer;
  }
}
