package dev.canopy.node.commands;

/** What this node offers instances, after overcommit ratios: heartbeats carry it to the scheduler. */
public record NodeCapacity(int vcpus, long memoryMib, long diskGib) {}
