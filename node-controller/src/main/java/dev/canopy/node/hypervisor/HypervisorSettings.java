package dev.canopy.node.hypervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * How the agent talks to libvirt.
 *
 * @param uri libvirt connection URI: {@code qemu:///system} on a host, {@code test:///default} in tests
 * @param callTimeout the longest any single libvirt call may take before it is reported as a timeout
 * @param threads the dedicated threads libvirt calls run on (a hung call holds one)
 * @param queueCapacity calls that may wait for a thread before new calls are refused as busy
 */
public record HypervisorSettings(String uri, Duration callTimeout, int threads, int queueCapacity) {

  public HypervisorSettings {
    Objects.requireNonNull(uri, "uri");
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive");
    }
    if (threads < 1 || threads > 64 || queueCapacity < 1 || queueCapacity > 10_000) {
      throw new IllegalArgumentException("threads in 1..64 and queueCapacity in 1..10000");
    }
  }

  /** 30 s per call, 4 threads, 256 queued calls. */
  public static HypervisorSettings defaults(String uri) {
    return new HypervisorSettings(uri, Duration.ofSeconds(30), 4, 256);
  }
}
