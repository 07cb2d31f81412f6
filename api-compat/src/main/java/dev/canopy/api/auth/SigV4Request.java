package dev.canopy.api.auth;

import java.util.List;

/** A request {@link SigV4Verifier} accepted, with what its body must be checked against. */
final class SigV4Request implements VerifiedRequest {

  private final Principal principal;
  private final PayloadSpec payload;
  private final ChunkSigner.Seed seed;
  private final List<String> signedHeaders;

  SigV4Request(Principal principal, PayloadSpec payload, ChunkSigner.Seed seed, List<String> signedHeaders) {
    this.principal = principal;
    this.signedHeaders = List.copyOf(signedHeaders);
    this.payload = payload;
    this.seed = seed;
  }

  @Override
  public Principal principal() {
    return principal;
  }

  @Override
  public List<String> signedHeaders() {
    return signedHeaders;
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
