/**
 * Leadership as the rest of the controller sees it ({@link dev.canopy.cloud.leadership.Leadership}),
 * backed by the PaxosLease service and the fencing epoch: the holder mints an epoch in the grid on
 * each fresh acquisition, announces it to every agent before commanding it ({@link
 * dev.canopy.cloud.leadership.EpochGate}), and stops leader work when the lease ends.
 */
package dev.canopy.cloud.leadership;
