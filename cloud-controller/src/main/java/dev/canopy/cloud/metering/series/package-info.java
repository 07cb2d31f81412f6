/**
 * The metering time-series codec: how one series of 10-second counter deltas is keyed, collected
 * in an open block and sealed into compact bytes, and how exact roll-ups are computed from points.
 * Pure domain code: no grid, no Vert.x, no clock reads, no threads; the aggregator that will feed it
 * from agents' batches and store its blocks in the replicated store is the next piece.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Exact.</b> Values are 64-bit integers from end to end (never doubles):
 *       {@link dev.canopy.cloud.metering.series.BlockCodec#decode} gives back exactly the
 *       (second, value) points that were encoded, for any int64 values, and
 *       {@link dev.canopy.cloud.metering.series.Rollups} sums them with overflow checks, so a
 *       counter never loses a byte between the raw points and the daily totals.
 *   <li><b>Never garbage.</b> Every encoded form (a block, the series-id table) starts with a version
 *       byte and ends with a CRC-32C; bytes that are truncated, corrupt or of an unknown version throw
 *       {@link dev.canopy.cloud.metering.series.CorruptSeriesException}, and every count read from
 *       the bytes is checked against its limit before anything is allocated.
 *   <li><b>Small when idle.</b> A block whose timestamps are regular and whose values are all equal (an
 *       idle vNIC: all zero) is its header only, whatever its number of points.
 *   <li><b>Order-tolerant.</b> {@link dev.canopy.cloud.metering.series.SeriesAppender} takes points in
 *       any order within its open block: a late point lands at its place, a duplicate second counts
 *       once (the first value wins), and a point for a block already sealed is refused, never merged
 *       silently.
 * </ul>
 *
 * <p>Directions are named from the VM's side, as {@code node.metering.Sample} and
 * {@code node.hypervisor.NicStats} name them: {@link dev.canopy.cloud.metering.series.Metric#RX_BYTES}
 * is what the VM received (libvirt already swaps the host tap's counters), {@code TX_BYTES} what it
 * sent.
 */
package dev.canopy.cloud.metering.series;
