package dev.canopy.node.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper of the agent protocol, on both ends (agent and controller): WebSocket
 * messages, enrollment bodies and command payloads and results. A field it does not know is
 * ignored, so a newer peer's additions never break an older one (agents and controllers are
 * upgraded one at a time; docs/agent-protocol.md: a change old receivers cannot ignore is a new
 * {@code v}). A null field is left out, so it reads back as null: written out, a {@code JsonNode}
 * field (a command's payload, an ack's result) would come back as a {@code NullNode}, and a
 * receiver's {@code == null} check would miss it. No message carries a date or time type (times are
 * epoch milliseconds), so no time module. Configured once here; never reconfigure it (it is shared, and thread safe only as long as
 * nobody does).
 */
public final class AgentJson {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private AgentJson() {}

  /** A new message of {@code type} in this version's envelope {@code {"v": VERSION, "type": type}}, for the sender to fill. */
  public static ObjectNode envelope(String type) {
    return MAPPER.createObjectNode().put("v", AgentMessages.VERSION).put("type", type);
  }
}
