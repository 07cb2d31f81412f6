package dev.canopy.api.auth;

import dev.canopy.api.auth.AuthException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Collects one CRLF-terminated line of aws-chunked framing across any number of wire buffers,
 * holding at most {@code maxBytes}: a client cannot make the server buffer an unbounded line.
 */
final class LineReader {

  private final byte[] buf;
  private int length;
  private boolean sawCr;

  LineReader(int maxBytes) {
    this.buf = new byte[maxBytes];
  }

  /**
   * Consumes bytes up to and including the line's LF.
   *
   * @return the line without its CRLF, or null when {@code wire} ended first (call again with
   *     the next buffer)
   */
  String read(ByteBuffer wire) throws AuthException {
    while (wire.hasRemaining()) {
      byte b = wire.get();
      if (sawCr) {
        if (b != '\n') {
          throw new AuthException(Kind.INCOMPLETE_BODY, "malformed aws-chunked framing: CR without LF");
        }
        String line = new String(buf, 0, length, StandardCharsets.ISO_8859_1);
        length = 0;
        sawCr = false;
        return line;
      }
      if (b == '\r') {
        sawCr = true;
      } else if (b == '\n') {
        throw new AuthException(Kind.INCOMPLETE_BODY, "malformed aws-chunked framing: LF without CR");
      } else if (length == buf.length) {
        throw new AuthException(
            Kind.INCOMPLETE_BODY, "malformed aws-chunked framing: line longer than " + buf.length + " bytes");
      } else {
        buf[length++] = b;
      }
    }
    return null;
  }

  /** True when no part of a line is pending. */
  boolean isEmpty() {
    return length == 0 && !sawCr;
  }
}
