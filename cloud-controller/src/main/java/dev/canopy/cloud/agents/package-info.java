/**
 * The controller's side of the node-agent protocol (docs/agent-protocol.md): one-time
 * enrollment tokens ({@link dev.canopy.cloud.agents.EnrollmentTokens}), the node registry with
 * heartbeat-driven availability ({@link dev.canopy.cloud.agents.NodeRegistry}), the mutual-TLS
 * agent endpoint ({@link dev.canopy.cloud.agents.AgentServer}) and the command channel the
 * scheduler uses ({@link dev.canopy.cloud.scheduler.NodeCommands}).
 */
package dev.canopy.cloud.agents;
