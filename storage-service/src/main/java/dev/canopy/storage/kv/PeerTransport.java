package dev.canopy.storage.kv;

import java.util.concurrent.CompletableFuture;

/**
 * How one storage node's engine reaches another's: a request, one answer. The production
 * transport runs over Vert.x with mutual TLS (storage certificates only); the simulator's
 * delivers, drops, delays and reorders messages from one seed. The future fails with {@link
 * PeerUnreachableException} when the node cannot be reached or does not answer in time; the
 * engine treats that as a missing vote, never as an answer.
 */
public interface PeerTransport {

  CompletableFuture<byte[]> call(String node, byte[] request);

  /** What a node runs for each request from a peer; {@code from} is the id its certificate names. */
  interface Handler {
    CompletableFuture<byte[]> handle(String from, byte[] request);
  }
}
