package dev.canopy.api.auth;

import java.nio.ByteBuffer;

/**
 * Checks one request body as it streams, and decodes aws-chunked framing. Not thread safe: one
 * instance per request, fed in arrival order. Callers must not make any byte durable-visible
 * until {@link #finish()} returned normally.
 */
public interface PayloadVerifier {

  /**
   * Consumes the next wire bytes of the body (all of them: {@code wire} is left with nothing
   * remaining). Buffers may split the body anywhere, even inside aws-chunked framing.
   *
   * <p>The bytes returned are tentative: an aws-chunked chunk's signature is checked only when
   * the chunk ends, and checksums only in {@link #finish()}, so data is handed out before it is
   * known to be genuine. Stage it, and publish it only after {@code finish()} succeeds.
   *
   * @return the payload bytes they decode to (chunk framing, signatures and trailers removed);
   *     possibly empty; valid until the next call
   * @throws AuthException as soon as the body is known to be bad; the verifier then stays failed
   */
  ByteBuffer update(ByteBuffer wire) throws AuthException;

  /** Called once at the end of the body: checks hashes, checksums, lengths and trailers. */
  PayloadDigests finish() throws AuthException;
}
