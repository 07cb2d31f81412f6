/**
 * The Hazelcast grid that holds control-plane state (accounts, access keys, the bucket
 * registry), each map written through to the durable store (the storage role's internal KV) and
 * loaded from it at start, one read per map. Values are JSON documents behind typed {@link
 * dev.canopy.cloud.grid.JsonMap} views; {@link dev.canopy.cloud.grid.StoreTables} writes the same
 * records straight into a store where no grid runs yet (creating a cloud), and code that needs only
 * tables takes either as a {@link dev.canopy.cloud.grid.TableSource}.
 *
 * <p>A controller that is the whole cloud runs one standalone member ({@code Grid.startStandalone}); several
 * controllers each run one member of their cluster ({@code Grid.startMember} with {@link
 * dev.canopy.cloud.grid.GridClusterSettings}), configured by {@code GridClusterConfig} so that a
 * minority can neither read nor write (PAXOSLEASE.md, "Fencing"). A partition that loses every
 * in-memory copy at once is read back from the store ({@code PartitionRecovery}).
 */
package dev.canopy.cloud.grid;
