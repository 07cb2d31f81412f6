package dev.canopy.api.auth;

/**
 * The rolling signature of aws-chunked bodies: each chunk's signature signs the previous one
 * (starting from the request's own signature, the seed), so chunks can be neither altered,
 * reordered, dropped nor appended. One instance per body, not thread safe.
 */
final class ChunkSigner {

  private static final String CHUNK_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
  private static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";

  /** What a body's chain starts from; held by the verified request, shared by its verifiers. */
  record Seed(byte[] signingKey, String amzDate, CredentialScope scope, String seedSignature) {}

  private final Seed seed;
  private String previousSignature;

  ChunkSigner(Seed seed) {
    this.seed = seed;
    this.previousSignature = seed.seedSignature();
  }

  /** The signature the next chunk must carry, given the SHA-256 of its data; advances the chain. */
  String nextChunkSignature(byte[] chunkSha256) {
    String stringToSign =
        CHUNK_ALGORITHM
            + '\n'
            + seed.amzDate()
            + '\n'
            + seed.scope()
            + '\n'
            + previousSignature
            + '\n'
            + Crypto.EMPTY_SHA256_HEX
            + '\n'
            + Crypto.HEX.formatHex(chunkSha256);
    return advance(stringToSign);
  }

  /**
   * The x-amz-trailer-signature value, given the canonical trailers ({@code name:value\n} per
   * trailer, sorted by name, as the AWS SDKs build them); advances the chain.
   */
  String trailerSignature(String canonicalTrailers) {
    String stringToSign =
        TRAILER_ALGORITHM
            + '\n'
            + seed.amzDate()
            + '\n'
            + seed.scope()
            + '\n'
            + previousSignature
            + '\n'
            + Crypto.sha256Hex(canonicalTrailers);
    return advance(stringToSign);
  }

  private String advance(String stringToSign) {
    previousSignature = CanonicalRequest.signature(seed.signingKey(), stringToSign);
    return previousSignature;
  }
}
