/**
 * The agent's fencing epoch: {@link dev.canopy.node.epoch.EpochStore} remembers, durably, the
 * newest leadership epoch any command carried, so a deposed controller's late commands are
 * refused even after the agent restarts.
 */
package dev.canopy.node.epoch;
