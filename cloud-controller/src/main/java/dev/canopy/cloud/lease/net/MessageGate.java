package dev.canopy.cloud.lease.net;

import dev.canopy.cloud.lease.LeaseMessage;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every received frame passes before it reaches the lease: the strict codec, then the rule
 * that a message's claimed sender is the controller its connection's certificate names. Drops
 * are counted and logged at most once per peer and kind per minute.
 */
final class MessageGate {

  private static final Logger LOG = LoggerFactory.getLogger(MessageGate.class);

  private final LeaseCodec codec;
  private final TransportStats.Counters counters;
  private final PeerLogLimiter logLimiter;
  private final Consumer<LeaseMessage> deliver;

  MessageGate(LeaseCodec codec, TransportStats.Counters counters, PeerLogLimiter logLimiter, Consumer<LeaseMessage> deliver) {
    this.codec = codec;
    this.counters = counters;
    this.logLimiter = logLimiter;
    this.deliver = deliver;
  }

  /** @param certifiedId the controller id the connection's verified certificate names */
  void onFrame(int certifiedId, Buffer frame) {
    LeaseCodec.Decoded decoded = codec.decode(frame.getBytes());
    if (decoded instanceof LeaseCodec.Rejected rejected) {
      boolean mismatch = rejected.reason() == LeaseCodec.Rejection.CONFIG_MISMATCH;
      (mismatch ? counters.configMismatches : counters.rejectedFrames).increment();
      long held = logLimiter.admit(certifiedId + "/" + rejected.reason());
      if (held >= 0 && mismatch) {
        // PAXOSLEASE.md: another hash means another controller set, lease length or rho; the
        // lease cannot be safe across the two, so an operator must act (full stop, one config).
        // A change of the controller set (join, leave) shows one such line per peer too, as the
        // controllers adopt the new version milliseconds apart; that one is expected.
        LOG.error("lease message from controller {} dropped: {} (ALARM: controllers configured differently, unless the"
            + " controller set is changing right now; {} more held back)", certifiedId, rejected.detail(), held);
      } else if (held >= 0) {
        LOG.warn("lease message from controller {} dropped: {} ({}; {} more held back)",
            certifiedId, rejected.detail(), rejected.reason(), held);
      }
      return;
    }
    LeaseMessage message = ((LeaseCodec.Accepted) decoded).message();
    if (message.senderId() != certifiedId) {
      counters.senderMismatches.increment();
      long held = logLimiter.admit(certifiedId + "/sender");
      if (held >= 0) {
        LOG.warn("lease message claiming sender {} arrived on the connection of controller {}: dropped ({} more held back)",
            message.senderId(), certifiedId, held);
      }
      return;
    }
    counters.messagesIn.increment();
    deliver.accept(message);
  }
}
