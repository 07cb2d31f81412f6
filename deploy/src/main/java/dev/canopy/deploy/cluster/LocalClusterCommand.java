package dev.canopy.deploy.cluster;

import picocli.CommandLine.Command;

/**
 * {@code canopy local-cluster up|down}: a multi-process cloud on this machine, one JVM per
 * process on its own loopback address, for trying several controllers and for the tests that
 * kill, stop and cut them off. See {@link LocalCluster}.
 */
@Command(
    name = "local-cluster",
    mixinStandardHelpOptions = true,
    description = "Start or stop a multi-process cloud on this machine (controllers, storage, node agents).",
    subcommands = {LocalClusterUp.class, LocalClusterDown.class})
public final class LocalClusterCommand {}
