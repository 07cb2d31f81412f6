package dev.canopy.node.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The agent's answer to a {@link Command}.
 *
 * @param ok true when the command took effect (or had already)
 * @param error a machine-readable reason when not ok ("StaleEpoch", "NoSuchDomain", "LibvirtError", ...)
 * @param message for people; never secrets
 * @param heldEpoch the newest epoch the agent has seen (so a refused sender learns it)
 * @param result the type's result, if any (for instance the domain state after the command)
 */
public record Ack(String commandId, boolean ok, String error, String message, long heldEpoch, JsonNode result) {}
