/**
 * Metering on the controller: where node agents' samples are stored and where they are read.
 *
 * <p>{@link dev.canopy.cloud.metering.MeteringService} is the one entry: the agent port
 * ({@code agents.AgentServer}) hands it each {@code sampleBatch} as a {@link
 * dev.canopy.cloud.metering.SampleBatch}, and the admin API asks it for the samples of an instance
 * or an account over a {@link dev.canopy.cloud.metering.TimeRange}. Batches are kept raw, one
 * {@link dev.canopy.cloud.metering.SampleBatchRecord} per node and batch id in the grid map
 * {@value dev.canopy.cloud.metering.MeteringService#MAP_NAME}, written through to the durable store,
 * until the lease holder's aggregator ({@code metering.usage}) has folded them into series blocks
 * and hourly ledgers, kept by {@link dev.canopy.cloud.metering.SystemMeteringStore} on the durable
 * store apart from the grid; then {@code forget} drops them.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Acknowledged means stored.</b> {@code ingest} returns only after the durable write; when
 *       the store or the grid fails it throws and stores nothing, and the caller sends no
 *       acknowledgement, so the agent keeps the batch in its on-disk queue and sends it again.
 *   <li><b>Once per batch.</b> A batch is stored with an atomic put-if-absent under
 *       {@code nodeId/batchId}: a resend (after a lost acknowledgement, to the same or another
 *       controller) is stored once and acknowledged again. The node id comes from the session's
 *       certificate, so one node cannot write another's batches.
 *   <li><b>Owners as they were.</b> Each stored batch records the account that owned each of its
 *       instances at that moment, so an account's samples stay its own after the instance record
 *       is gone.
 *   <li><b>Bounded, ordered answers.</b> A query answers the earliest
 *       {@value dev.canopy.cloud.metering.MeteringService#SAMPLES_PER_QUERY_MAX} matching samples,
 *       ordered by their {@code timestampMs} (ties in a fixed order), and says when it left some out.
 * </ul>
 *
 * <p>A sample query reads every batch not folded yet (the grid holds them as JSON documents, one per
 * batch): a few seconds' worth while the holder folds every 5 s.
 */
package dev.canopy.cloud.metering;
