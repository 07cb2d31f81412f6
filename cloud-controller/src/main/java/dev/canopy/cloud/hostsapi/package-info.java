/**
 * The operator's JSON API about nodes on the console port: the nodes and one node with its
 * instances ({@link dev.canopy.cloud.hostsapi.NodeViews}), a node's host metrics as graph columns
 * ({@link dev.canopy.cloud.hostsapi.MetricsWindow}) and the latency ranking
 * ({@code cloud.latency}); {@link dev.canopy.cloud.hostsapi.HostsApi} mounts them, operator only.
 */
package dev.canopy.cloud.hostsapi;
