package dev.canopy.cloud.compute;

/** One instance's answer to Start/Stop/TerminateInstances. */
public record StateChange(String instanceId, InstanceState previous, InstanceState current) {}
