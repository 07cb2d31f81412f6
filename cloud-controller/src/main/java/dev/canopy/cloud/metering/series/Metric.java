package dev.canopy.cloud.metering.series;

/**
 * What a series counts. Directions are from the VM's side, as the node agent's {@code Sample} names
 * them: {@code RX_*} is traffic the VM received, {@code TX_*} traffic it sent. (libvirt reports a tap
 * from the host's side and already swaps the two for guest interfaces; the agent keeps its names.)
 *
 * <p>Each metric has a fixed one-byte {@link #code()} used in the encoded series table, so reordering
 * or adding constants never changes what stored bytes mean.
 */
public enum Metric {
  RX_BYTES(1, true),
  RX_PACKETS(2, true),
  TX_BYTES(3, true),
  TX_PACKETS(4, true),
  /** CPU time the instance used, in nanoseconds; a per-instance series (no vNIC). */
  CPU_NANOS(5, false);

  private final int code;
  private final boolean perNic;

  Metric(int code, boolean perNic) {
    this.code = code;
    this.perNic = perNic;
  }

  /** The byte that stands for this metric in encoded forms; never reused. */
  public int code() {
    return code;
  }

  /** Whether the series is one vNIC's (traffic) rather than the whole instance's (CPU). */
  public boolean perNic() {
    return perNic;
  }

  /** @throws CorruptSeriesException for a code no metric has */
  static Metric ofCode(int code) {
    for (Metric m : values()) {
      if (m.code == code) {
        return m;
      }
    }
    throw new CorruptSeriesException("unknown metric code " + code);
  }
}
