/**
 * Instances and instance types: the domain behind RunInstances, DescribeInstances, the
 * start/stop/reboot/terminate family, Describe/ModifyInstanceAttribute and
 * DescribeInstanceStatus. Plain records and rules with time and randomness injected; state in
 * grid {@link dev.canopy.cloud.grid.Table}s; nodes reached through the scheduler's {@link dev.canopy.cloud.scheduler.NodeCommands}. Knows nothing of HTTP or XML.
 * Checks owned by other families (key pairs, security groups, images) come in through
 * {@link dev.canopy.cloud.compute.KeyPairCheck}, {@link dev.canopy.cloud.compute.SecurityGroupCheck}
 * and {@link dev.canopy.cloud.images.ImageCatalog}.
 *
 * <p>Every instance record is written through {@code InstanceStore}, and each write that moves an
 * instance into or out of {@code running} also records its run interval ({@link
 * dev.canopy.cloud.compute.Instance#lastRun}) in the {@link dev.canopy.cloud.instancehours} run
 * times, which outlive the record's purge; the periodic purge first records what a failed write
 * missed.
 */
package dev.canopy.cloud.compute;
