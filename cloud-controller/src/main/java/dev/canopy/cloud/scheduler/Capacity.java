package dev.canopy.cloud.scheduler;

/** An amount of node resources: virtual CPUs, memory and local disk. Never negative. */
public record Capacity(int vcpus, long memoryMib, long diskGib) {

  public static final Capacity ZERO = new Capacity(0, 0, 0);

  public Capacity {
    if (vcpus < 0 || memoryMib < 0 || diskGib < 0) {
      throw new IllegalArgumentException("negative capacity: " + vcpus + " vCPU, " + memoryMib + " MiB, " + diskGib + " GiB");
    }
  }

  public Capacity plus(Capacity other) {
    return new Capacity(vcpus + other.vcpus, memoryMib + other.memoryMib, diskGib + other.diskGib);
  }

  /** @throws IllegalArgumentException when more is taken than there is (an accounting bug) */
  public Capacity minus(Capacity other) {
    return new Capacity(vcpus - other.vcpus, memoryMib - other.memoryMib, diskGib - other.diskGib);
  }

  /** True when {@code need} fits in this amount in every dimension. */
  public boolean fits(Capacity need) {
    return need.vcpus <= vcpus && need.memoryMib <= memoryMib && need.diskGib <= diskGib;
  }
}
