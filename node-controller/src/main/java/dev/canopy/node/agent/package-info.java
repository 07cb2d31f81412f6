/**
 * The node agent's side of the agent protocol: enrollment with a one-time token (the
 * controller is verified against the CA fingerprint in the token before anything secret is
 * sent; the node's key never leaves it), the credentials kept under the agent's data folder,
 * and the mutual-TLS WebSocket session that sends heartbeats and runs received commands off the
 * event loop. See docs/agent-protocol.md.
 */
package dev.canopy.node.agent;
