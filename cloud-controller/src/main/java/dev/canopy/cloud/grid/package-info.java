/**
 * The Hazelcast grid that holds control-plane state (accounts, access keys, the bucket
 * registry), each map written through to the durable local store and loaded from it at start.
 * Values are JSON documents behind typed {@link dev.canopy.cloud.grid.JsonMap} views.
 */
package dev.canopy.cloud.grid;
