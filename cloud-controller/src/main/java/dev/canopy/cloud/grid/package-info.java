/**
 * The Hazelcast grid that holds control-plane state (accounts, access keys, the bucket
 * registry), each map written through to the durable local store and loaded from it at start.
 * Values are JSON documents behind typed {@link dev.canopy.cloud.grid.JsonMap} views.
 *
 * <p>A cloud in a box runs one standalone member ({@code Grid.startStandalone}); several
 * controllers each run one member of their cluster ({@code Grid.startMember} with {@link
 * dev.canopy.cloud.grid.GridClusterSettings}), configured by {@code GridClusterConfig} so that a
 * minority can neither read nor write (PAXOSLEASE.md, "Fencing").
 */
package dev.canopy.cloud.grid;
