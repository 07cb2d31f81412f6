package dev.canopy.storage.kv.riak;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * A multipart/mixed body laid out as Riak writes it: each part opens with CRLF, the boundary
 * line and the part's header block; the body closes with CRLF and the final boundary.
 */
final class Multipart {

  private final String boundary;
  private final Buffer body = Buffer.buffer();

  Multipart(String boundary) {
    this.boundary = boundary;
  }

  String contentType() {
    return "multipart/mixed; boundary=" + boundary;
  }

  /** A part: {@code headers} are complete lines (each ending CRLF); the blank line is added here. */
  Multipart part(String headers, Buffer content) {
    body.appendString("\r\n--" + boundary + "\r\n", StandardCharsets.UTF_8.name())
        .appendString(headers, StandardCharsets.UTF_8.name())
        .appendString("\r\n")
        .appendBuffer(content);
    return this;
  }

  /**
   * A part whose body is itself multipart: its Content-Type line, then the nested body, whose
   * leading CRLF is the blank line that ends this part's headers (as in Riak's link walker).
   */
  Multipart nested(Multipart inner) {
    body.appendString("\r\n--" + boundary + "\r\n", StandardCharsets.UTF_8.name())
        .appendString("Content-Type: " + inner.contentType() + "\r\n", StandardCharsets.UTF_8.name())
        .appendBuffer(inner.finish());
    return this;
  }

  Buffer finish() {
    return body.copy().appendString("\r\n--" + boundary + "--\r\n");
  }
}
