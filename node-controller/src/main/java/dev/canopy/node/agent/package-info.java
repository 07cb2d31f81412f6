/**
 * The node agent's side of the agent protocol: enrollment with a one-time token (the
 * controller is verified against the CA fingerprint in the token before anything secret is
 * sent; the node's key never leaves it), the credentials kept under the agent's data folder,
 * and the mutual-TLS WebSocket sessions, one per controller ({@code ControllerSession}), that
 * send heartbeats and run received commands off the event loop. See docs/agent-protocol.md.
 */
package dev.canopy.node.agent;
