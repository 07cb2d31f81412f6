/**
 * The nodes' host metrics on the controllers' side: what agents send as {@code hostSamples}
 * ({@link dev.canopy.node.protocol.HostSample}) becomes integer series per node
 * ({@link dev.canopy.cloud.hostmetrics.HostSeries}), kept one record per node, UTC hour and writing
 * controller on the durable store ({@link dev.canopy.cloud.hostmetrics.HostMetricsStore}), each
 * series a block in the metering series codec ({@code metering.series.BlockCodec}), and read back
 * as graphs' columns ({@link dev.canopy.cloud.hostmetrics.HostGraph}).
 */
package dev.canopy.cloud.hostmetrics;
