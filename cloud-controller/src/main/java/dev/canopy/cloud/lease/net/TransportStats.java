package dev.canopy.cloud.lease.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the lease transport has counted since it started, for metrics and tests.
 *
 * @param messagesIn messages decoded, checked and handed to the lease
 * @param messagesOut frames written to a connected peer
 * @param rejectedFrames frames the codec refused for any reason but the configuration hash
 * @param configMismatches frames from a controller configured differently (an alarm)
 * @param senderMismatches messages whose sender id differs from the id in the connection's certificate
 * @param oversizeFrames connections closed for announcing a frame above the limit
 * @param unconnectedDrops messages not sent because the peer was not connected
 * @param queueFullDrops messages not sent because the peer's write queue was full
 * @param handshakeFailures TLS handshakes that failed on the lease port (refused certificates among them)
 * @param refusedConnections connections closed after the handshake for a wrong or unconfigured identity
 */
public record TransportStats(
    long messagesIn,
    long messagesOut,
    long rejectedFrames,
    long configMismatches,
    long senderMismatches,
    long oversizeFrames,
    long unconnectedDrops,
    long queueFullDrops,
    long handshakeFailures,
    long refusedConnections) {

  /** The live counters behind a {@link TransportStats}; incremented from any event loop. */
  static final class Counters {
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder rejectedFrames = new LongAdder();
    final LongAdder configMismatches = new LongAdder();
    final LongAdder senderMismatches = new LongAdder();
    final LongAdder oversizeFrames = new LongAdder();
    final LongAdder unconnectedDrops = new LongAdder();
    final LongAdder queueFullDrops = new LongAdder();
    final LongAdder handshakeFailures = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();

    TransportStats snapshot() {
      return new TransportStats(messagesIn.sum(), messagesOut.sum(), rejectedFrames.sum(), configMismatches.sum(),
          senderMismatches.sum(), oversizeFrames.sum(), unconnectedDrops.sum(), queueFullDrops.sum(),
          handshakeFailures.sum(), refusedConnections.sum());
    }
  }
}
