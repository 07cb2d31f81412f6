package dev.canopy.node.hypervisor;

/** The host as the hypervisor sees it: logical CPUs and memory in KiB (libvirt's node info unit). */
public record HostInfo(int cpus, long memoryKib) {}
