/**
 * The node-agent protocol shared by controller and agent: versioned JSON messages (commands,
 * acks, heartbeats, sample batches) and the command handler contract. See docs/agent-protocol.md.
 */
package dev.canopy.node.protocol;
