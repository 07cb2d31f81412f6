/**
 * The grid tunnel: Hazelcast traffic between controllers on different hosts, carried inside the
 * controllers' mutual TLS, because open-source Hazelcast authenticates no member.
 *
 * <p>Each controller's grid member listens only on a loopback alias of its own, {@code
 * 127.77.0.<controller id>} ({@link dev.canopy.cloud.gridtunnel.MemberAliases}), its address in
 * every member's view. On the controller's own address, at the grid port, a {@link
 * dev.canopy.cloud.gridtunnel.GridGateway} accepts only TLS connections presenting a {@code
 * canopy:controller:<id>} certificate of this cloud's CA, and relays each to the local member,
 * dialling from the peer's alias so that the member's allowlist knows who it is. On every host, a
 * {@link dev.canopy.cloud.gridtunnel.GridForwarder} listens on the alias of each controller of
 * another host and relays the local member's connections to that controller's gateway, over TLS
 * with this controller's certificate. Controllers on one host reach each other's aliases directly.
 * {@link dev.canopy.cloud.gridtunnel.TunnelPlan} decides which forwarders a host needs; {@link
 * dev.canopy.cloud.gridtunnel.GridTunnel} starts them and the gateway.
 *
 * <p>Every relay is bounded ({@link dev.canopy.cloud.gridtunnel.TunnelLimits}): connections per
 * peer, bytes buffered each way (backpressure, {@link dev.canopy.cloud.gridtunnel.Relay}), idle time,
 * connect and handshake time. Closing either side of a relay closes the other.
 */
package dev.canopy.cloud.gridtunnel;
