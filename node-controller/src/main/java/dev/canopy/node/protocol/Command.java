package dev.canopy.node.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A controller's instruction to one node agent.
 *
 * @param id unique per command; the agent answers with an {@link Ack} naming it, and a repeated
 *     id is answered again without acting twice
 * @param epoch the leadership epoch the sender held; the agent refuses epochs older than the
 *     newest it has seen
 * @param type what to do: one of {@link CommandTypes}
 * @param payload the type's arguments (for instance an {@link InstanceSpec})
 */
public record Command(String id, long epoch, String type, JsonNode payload) {}
