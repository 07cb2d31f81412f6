/**
 * Instance-hours from lifecycle transitions, to the second, kept after the instance is gone.
 *
 * <ul>
 *   <li>{@link dev.canopy.cloud.instancehours.RunInterval}: one stretch in {@code running} (AWS
 *       bills from {@code running} until the instance leaves it), of the type it ran as. The
 *       instance record carries its latest one ({@code compute.Instance#lastRun}), set by the
 *       state machine at the instant of the move.
 *   <li>{@link dev.canopy.cloud.instancehours.RunTime}: an instance's intervals, and the one
 *       idempotent rule that adds a transition to them, so a leader change neither loses nor
 *       doubles one.
 *   <li>{@link dev.canopy.cloud.instancehours.RunTimes}: the grid map
 *       {@value dev.canopy.cloud.instancehours.RunTimes#MAP}, fenced like the instance records and
 *       written where they are written ({@code compute.InstanceStore}: after each write that moved an
 *       interval's edge, and in the periodic sweep before the purge); not purged with the instance,
 *       pruned {@link dev.canopy.cloud.instancehours.RunTimes#ENDED_INTERVALS_KEPT} after an
 *       interval ended.
 *   <li>{@link dev.canopy.cloud.instancehours.InstanceSeconds}: the pure split of intervals into
 *       exact {@code INSTANCE_SECONDS} per instance, type and UTC hour; {@link
 *       dev.canopy.cloud.instancehours.InstanceHours}: what the usage aggregator reads.
 * </ul>
 */
package dev.canopy.cloud.instancehours;
