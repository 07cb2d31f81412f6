/**
 * Usage from metering: the lease holder's aggregator and what it folds into, and the queries
 * graphs and bills read. Domain code: no grid, no Vert.x, no clock reads; the store is the
 * {@link dev.canopy.cloud.metering.usage.MeteringStore} port.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Exactly once without batch ids.</b> An instance's series keep one block per series and
 *       hour ({@link dev.canopy.cloud.metering.usage.InstanceHour} records while the day is open,
 *       one {@link dev.canopy.cloud.metering.usage.InstanceDay} once it is sealed), and a second a
 *       block holds keeps its first value; {@link dev.canopy.cloud.metering.usage.AccountMonth} rows are absolute quantities
 *       recomputed from the blocks. Folding a batch again adds nothing and rewrites the same rows,
 *       so a batch is forgotten only after its fold is stored, and a leader change loses nothing.
 *   <li><b>Exact.</b> 64-bit integers from the samples to the ledgers; a test on random traffic
 *       over a month boundary finds every raw byte in the ledgers and in the series once.
 *   <li><b>Closed months stay closed.</b> After the grace a month's rows never change; later usage is
 *       an {@link dev.canopy.cloud.metering.usage.AccountMonth.Adjustment}, billed as a correction in
 *       the month it was noticed.
 *   <li><b>A pass touches what it folds.</b> It reads and writes the hour records its points fall
 *       in, not their days, and the {@link dev.canopy.cloud.metering.usage.AccountDay} records of
 *       the open days its rows fall in, not their month ledgers; a day is sealed once, a day after
 *       it ended ({@link dev.canopy.cloud.metering.usage.LedgerSeal} for account days), and a bill
 *       reads the same before and after.
 *   <li><b>Fresh.</b> {@link dev.canopy.cloud.metering.usage.StoredUsage} adds the batches not folded
 *       yet, so a stored sample is in a graph at once.
 * </ul>
 */
package dev.canopy.cloud.metering.usage;
