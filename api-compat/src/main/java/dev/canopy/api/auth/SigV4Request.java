package dev.canopy.api.auth;

/** A request {@link SigV4Verifier} accepted, with what its body must be checked against. */
final class SigV4Request implements VerifiedRequest {

  private final Principal principal;
  private final PayloadSpec payload;
  private final ChunkSigner.Seed seed;

  SigV4Request(Principal principal, PayloadSpec payload, ChunkSigner.Seed seed) {
    this.principal = principal;
    this.payload = payload;
    this.seed = seed;
  }

  @Override
  public Principal principal() {
    return principal;
  }

  @Override
  public PayloadVerifier newPayloadVerifier() {
    if (!payload.mode().chunked()) {
      return new PlainPayloadVerifier(payload);
    }
    return new ChunkedPayloadVerifier(
        payload, payload.mode().signedChunks() ? new ChunkSigner(seed) : null);
  }
}
