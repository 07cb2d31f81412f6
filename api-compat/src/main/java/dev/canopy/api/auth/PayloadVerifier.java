package dev.canopy.api.auth;

import java.nio.ByteBuffer;

/**
 * Checks one request body as it streams, and decodes aws-chunked framing. Not thread safe: one
 * instance per request, fed in arrival order. Callers must not make any byte durable-visible
 * until {@link #finish()} returned normally.
 */
public interface PayloadVerifier {

  /**
   * Consumes the next wire bytes of the body.
   *
   * @return the payload bytes they decode to (chunk framing, signatures and trailers removed);
   *     possibly empty; valid until the next call
   */
  ByteBuffer update(ByteBuffer wire) throws AuthException;

  /** Called once at the end of the body: checks hashes, checksums, lengths and trailers. */
  PayloadDigests finish() throws AuthException;
}
