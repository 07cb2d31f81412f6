package dev.canopy.api.auth;

import dev.canopy.api.auth.AuthException.Detail;
import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.http.RequestHead;
import java.util.List;

/**
 * A request that carries no signature at all (S3's anonymous requests, which a bucket's ACL or
 * policy may allow). Its body is taken as sent: checked against x-amz-content-sha256 when that
 * names a digest, and against Content-MD5 and x-amz-checksum-* as any body; aws-chunked bodies
 * exist only to carry chunk signatures or trailers and are refused.
 */
public final class AnonymousRequest implements VerifiedRequest {

  private final PayloadSpec spec;

  private AnonymousRequest(PayloadSpec spec) {
    this.spec = spec;
  }

  public static VerifiedRequest of(RequestHead head) throws AuthException {
    String token = head.header("x-amz-content-sha256").map(String::trim).orElse(PayloadMode.UNSIGNED.token());
    PayloadMode mode = PayloadMode.of(token).filter(m -> !m.chunked()).orElseThrow(() -> new AuthException(
        Kind.MALFORMED, Detail.INVALID_CONTENT_SHA256, false,
        "x-amz-content-sha256 of an anonymous request must be UNSIGNED-PAYLOAD or a valid sha256 value."));
    return new AnonymousRequest(PayloadSpec.parse(head, mode, token));
  }

  @Override
  public Principal principal() {
    return Principal.ANONYMOUS;
  }

  /** Nobody signed anything: every header is the requester's own. */
  @Override
  public List<String> signedHeaders() {
    return List.of();
  }

  @Override
  public PayloadVerifier newPayloadVerifier() {
    return new PlainPayloadVerifier(spec);
  }
}
