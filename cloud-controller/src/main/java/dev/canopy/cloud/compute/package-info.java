/**
 * Instances and instance types: the domain behind RunInstances, DescribeInstances, the
 * start/stop/reboot/terminate family, Describe/ModifyInstanceAttribute and
 * DescribeInstanceStatus. Plain records and rules with time and randomness injected; state in
 * grid {@link dev.canopy.cloud.grid.Table}s; nodes reached through the scheduler's {@link dev.canopy.cloud.scheduler.NodeCommands}. Knows nothing of HTTP or XML.
 * Checks owned by other families (key pairs, security groups, images) come in through
 * {@link dev.canopy.cloud.compute.KeyPairCheck}, {@link dev.canopy.cloud.compute.SecurityGroupCheck}
 * and {@link dev.canopy.cloud.images.ImageCatalog}.
 */
package dev.canopy.cloud.compute;
