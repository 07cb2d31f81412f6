package dev.canopy.storage.kv.peer;

import java.time.Duration;

/**
 * Every bound of the node-to-node transport, here and nowhere else: message sizes (both sides
 * refuse what passes them), the server's admission, the client's pool and its call timeout.
 */
public final class PeerLimits {

  /**
   * A request body (the engine's encoded message): a 1 MiB Riak value with its siblings, links
   * and metadata fits many times over; a peer sending more is refused with 413 before it is buffered.
   */
  public static final int REQUEST_BYTES_MAX = 8 * 1024 * 1024;
  /** An answer body: the same bound, since a fetch answers with what a store carried in. */
  public static final int RESPONSE_BYTES_MAX = REQUEST_BYTES_MAX;
  /**
   * An oversized request body is read and dropped up to this, so a client that sends its body
   * before reading the answer still sees the 413; past it the connection is closed.
   */
  static final long DISCARD_BYTES_MAX = 2L * REQUEST_BYTES_MAX;
  /** Request bodies held in memory at once by one server; past it a request gets 503. */
  static final long BUFFERED_BYTES_MAX = 128L * 1024 * 1024;
  /**
   * Requests a server answers at once; past it 503. Peers × connections per peer (5 × 16) stay
   * well under it, so only a misbehaving client meets it.
   */
  static final int SERVER_IN_FLIGHT_MAX = 256;
  /** Connections a client keeps to one peer: HTTP/1.1 carries one call at a time on each. */
  public static final int CONNECTIONS_PER_PEER_MAX = 16;
  /** Calls waiting for one of those connections; past it a call fails at once (the peer is overloaded). */
  public static final int CALLS_WAITING_PER_PEER_MAX = 4096;
  /** Default bound on one call, from {@code call} to the last byte of the answer, waiting for a connection included. */
  public static final Duration CALL_TIMEOUT_DEFAULT = Duration.ofSeconds(5);
  /**
   * How long a closing server lets the calls in flight finish: a caller gives up after its call
   * timeout anyway, so waiting longer would only delay the stop.
   */
  static final Duration SERVER_CLOSE_GRACE = CALL_TIMEOUT_DEFAULT;
  /**
   * A client closes a pooled connection idle this long: shorter than the server's idle timeout
   * (60 s), so the client, not the server, ends it and no call is sent on a closing connection.
   */
  static final Duration CLIENT_KEEP_ALIVE = Duration.ofSeconds(30);
  /** Of a refusal's text body, at most this much goes into the client's exception message. */
  static final int ERROR_TEXT_CHARS_MAX = 200;

  private PeerLimits() {}
}
