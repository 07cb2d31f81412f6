package dev.canopy.api.auth;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A body sent as is (x-amz-content-sha256 is a hex digest or UNSIGNED-PAYLOAD): the wire bytes
 * are the payload, so {@link #update} hands back the caller's own bytes without copying.
 */
final class PlainPayloadVerifier implements PayloadVerifier {

  private final PayloadDigester digester;
  private boolean finished;

  PlainPayloadVerifier(PayloadSpec spec) {
    this.digester = new PayloadDigester(spec);
  }

  @Override
  public ByteBuffer update(ByteBuffer wire) throws AuthException {
    if (finished) {
      throw new IllegalStateException("update after finish");
    }
    ByteBuffer payload = wire.slice();
    digester.update(wire);
    return payload;
  }

  @Override
  public PayloadDigests finish() throws AuthException {
    if (finished) {
      throw new IllegalStateException("finish called twice");
    }
    finished = true;
    return digester.finish(Map.of());
  }
}
