/**
 * A cloud of several processes: {@code canopy init} (the identity every process is handed, and the
 * first storage process's seeded data) and {@code canopy local-cluster}, which starts and stops
 * one on this machine and describes it in {@code cluster.json}.
 */
package dev.canopy.deploy.cluster;
