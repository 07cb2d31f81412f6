package dev.canopy.node.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the agent protocol, on both ends (agent and controller) and for command
 * payloads. A field it does not know is ignored, so a newer peer's additions never break an older
 * one (agents and controllers are upgraded one at a time). Configured once here; never reconfigure
 * it (it is shared, and thread safe only as long as nobody does).
 */
public final class AgentJson {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private AgentJson() {}
}
