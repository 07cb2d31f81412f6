/**
 * The controller set, as a versioned record in the grid: which controllers there are (id and
 * address) and which version of the set a lease has been won under. cluster.json (the controllers'
 * {@code --controllers}) seeds version 0 at the first start; from then on the record is the source
 * of truth, changed one controller at a time by {@code canopy controller join} and {@code leave}
 * (docs/operations.md) through the admin API.
 *
 * <p>{@link dev.canopy.cloud.membership.ControllerSet} is the record and {@link
 * dev.canopy.cloud.membership.MembershipChanges} the pure rules of a change (one at a time, only
 * once the previous one has settled, never below one controller, never to a set whose quorum the
 * reachable controllers cannot form), each refusal a {@link
 * dev.canopy.cloud.membership.MembershipRefused} with the code and status the admin API answers.
 * {@link dev.canopy.cloud.membership.GridMembership} keeps the record in a grid table (every change
 * a compare-and-set) and is what the admin routes call. Why one change at a time and the settling
 * rule keep the lease safe is written down in docs/paxoslease.md, "Changing the controller set".
 */
package dev.canopy.cloud.membership;
