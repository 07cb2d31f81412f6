package dev.canopy.api.auth;

import dev.canopy.api.auth.AuthException.Kind;
import dev.canopy.api.checksum.ChecksumAlgorithm;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Decodes and checks an aws-chunked body as a push parser: wire bytes may arrive split at any
 * boundary, and memory stays bounded (one framing line of at most {@link #LINE_BYTES_MAX}, never
 * a chunk). Wire format:
 *
 * <pre>
 *   chunk   = hex-size [ ";chunk-signature=" 64HEX ] CRLF data CRLF
 *   final   = "0" [ ";chunk-signature=" 64HEX ] CRLF
 *   trailer = *( name ":" value CRLF ) [ "x-amz-trailer-signature:" 64HEX CRLF ]
 *   body    = *chunk final trailer CRLF
 * </pre>
 *
 * <p>Data is handed back as soon as it arrives, but a chunk's signature can only be checked at
 * the chunk's end and checksums only at the body's end: every byte returned by {@link #update}
 * is tentative until {@link #finish()} returns normally. After any failure the verifier stays
 * failed.
 */
final class ChunkedPayloadVerifier implements PayloadVerifier {

  /** Longest chunk header or trailer line accepted; real ones are under 100 bytes. */
  static final int LINE_BYTES_MAX = 4096;

  /** Most trailer lines accepted (S3 sends one checksum and one signature). */
  static final int TRAILERS_MAX = 16;

  private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";
  private static final String SIGNATURE_EXTENSION = "chunk-signature=";
  private static final Pattern HEX_SIZE = Pattern.compile("[0-9a-fA-F]{1,15}");
  private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");

  private enum State {
    CHUNK_HEADER,
    CHUNK_DATA,
    CHUNK_DATA_CR,
    CHUNK_DATA_LF,
    TRAILER,
    DONE
  }

  private final PayloadMode mode;
  private final PayloadSpec spec;
  private final PayloadDigester digester;
  private final ChunkSigner signer;
  private final MessageDigest chunkSha256;
  private final LineReader line = new LineReader(LINE_BYTES_MAX);
  private final Map<ChecksumAlgorithm, String> trailerValues = new EnumMap<>(ChecksumAlgorithm.class);
  private final Map<String, List<String>> trailersForSignature = new TreeMap<>();

  private State state = State.CHUNK_HEADER;
  private long chunkRemaining;
  private String chunkSignature;
  private int trailerCount;
  private boolean trailerSigned;
  private byte[] out = new byte[0];
  private AuthException failure;
  private boolean finished;

  /**
   * @param signer the chain to check chunk signatures against; null for unsigned modes
   */
  ChunkedPayloadVerifier(PayloadSpec spec, ChunkSigner signer) {
    this.mode = spec.mode();
    this.spec = spec;
    this.digester = new PayloadDigester(spec);
    this.signer = signer;
    this.chunkSha256 = signer != null ? Crypto.newSha256() : null;
    if (mode.signedChunks() != (signer != null)) {
      throw new IllegalArgumentException("a signer is needed exactly for signed modes");
    }
  }

  @Override
  public ByteBuffer update(ByteBuffer wire) throws AuthException {
    if (finished) {
      throw new IllegalStateException("update after finish");
    }
    if (failure != null) {
      throw failure;
    }
    try {
      return decode(wire);
    } catch (AuthException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public PayloadDigests finish() throws AuthException {
    if (finished) {
      throw new IllegalStateException("finish called twice");
    }
    finished = true;
    if (failure != null) {
      throw failure;
    }
    if (state != State.DONE) {
      throw incomplete("the body ended before the end of its aws-chunked encoding");
    }
    return digester.finish(trailerValues);
  }

  private ByteBuffer decode(ByteBuffer wire) throws AuthException {
    if (out.length < wire.remaining()) {
      out = new byte[wire.remaining()];
    }
    int n = 0;
    while (wire.hasRemaining()) {
      switch (state) {
        case CHUNK_HEADER -> {
          String header = line.read(wire);
          if (header != null) {
            onChunkHeader(header);
          }
        }
        case CHUNK_DATA -> {
          int take = (int) Math.min(chunkRemaining, wire.remaining());
          wire.get(out, n, take);
          if (chunkSha256 != null) {
            chunkSha256.update(out, n, take);
          }
          digester.update(ByteBuffer.wrap(out, n, take));
          n += take;
          chunkRemaining -= take;
          if (chunkRemaining == 0) {
            state = State.CHUNK_DATA_CR;
          }
        }
        case CHUNK_DATA_CR -> {
          expect(wire.get(), '\r');
          state = State.CHUNK_DATA_LF;
        }
        case CHUNK_DATA_LF -> {
          expect(wire.get(), '\n');
          checkChunkSignature();
          state = State.CHUNK_HEADER;
        }
        case TRAILER -> {
          String trailer = line.read(wire);
          if (trailer != null) {
            onTrailerLine(trailer);
          }
        }
        case DONE -> throw incomplete("unexpected bytes after the end of the aws-chunked body");
      }
    }
    return ByteBuffer.wrap(out, 0, n);
  }

  private void onChunkHeader(String header) throws AuthException {
    int semi = header.indexOf(';');
    String size = semi < 0 ? header : header.substring(0, semi);
    if (!HEX_SIZE.matcher(size).matches()) {
      throw incomplete("malformed aws-chunked framing: bad chunk size");
    }
    chunkRemaining = Long.parseLong(size, 16);
    if (signer != null) {
      String ext = semi < 0 ? "" : header.substring(semi + 1);
      if (!ext.startsWith(SIGNATURE_EXTENSION)
          || !HEX_SIGNATURE.matcher(ext.substring(SIGNATURE_EXTENSION.length())).matches()) {
        throw incomplete("malformed aws-chunked framing: missing or bad chunk-signature");
      }
      chunkSignature = ext.substring(SIGNATURE_EXTENSION.length());
      chunkSha256.reset();
    }
    // Extensions of unsigned chunks carry nothing we check; they are ignored as RFC 9112 allows.
    if (chunkRemaining == 0) {
      checkChunkSignature();
      state = State.TRAILER;
    } else {
      state = State.CHUNK_DATA;
    }
  }

  private void checkChunkSignature() throws AuthException {
    if (signer == null) {
      return;
    }
    String expected = signer.nextChunkSignature(chunkSha256.digest());
    if (!Crypto.signaturesEqual(expected, chunkSignature)) {
      throw new AuthException(
          Kind.SIGNATURE_MISMATCH,
          "The request signature we calculated does not match the signature you provided"
              + " (aws-chunked chunk signature).");
    }
  }

  private void onTrailerLine(String trailer) throws AuthException {
    if (trailer.isEmpty()) {
      if (mode.trailer() && mode.signedChunks() && !trailerSigned) {
        throw incomplete("the trailer lacks x-amz-trailer-signature");
      }
      state = State.DONE;
      return;
    }
    if (!mode.trailer()) {
      throw incomplete("malformed aws-chunked framing: trailers are not allowed in this payload mode");
    }
    if (trailerSigned || ++trailerCount > TRAILERS_MAX) {
      throw incomplete("malformed aws-chunked trailer: unexpected line after the trailer signature");
    }
    int colon = trailer.indexOf(':');
    if (colon <= 0) {
      throw incomplete("malformed aws-chunked trailer: expected name:value");
    }
    String name = trailer.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = trailer.substring(colon + 1).trim();
    if (name.equals(TRAILER_SIGNATURE) && signer != null) {
      checkTrailerSignature(value);
      trailerSigned = true;
      return;
    }
    ChecksumAlgorithm algorithm =
        ChecksumAlgorithm.fromHeaderName(name)
            .filter(spec.trailerChecksums()::contains)
            .orElseThrow(() -> incomplete("the trailer '" + clip(name) + "' was not announced in x-amz-trailer"));
    if (trailerValues.put(algorithm, value) != null) {
      throw incomplete("the trailer " + name + " appears twice");
    }
    trailersForSignature.put(name, List.of(value));
  }

  private void checkTrailerSignature(String received) throws AuthException {
    String canonical =
        CanonicalRequest.headers(new ArrayList<>(trailersForSignature.keySet()), trailersForSignature);
    String expected = signer.trailerSignature(canonical);
    if (!HEX_SIGNATURE.matcher(received).matches() || !Crypto.signaturesEqual(expected, received)) {
      throw new AuthException(
          Kind.SIGNATURE_MISMATCH,
          "The request signature we calculated does not match the signature you provided"
              + " (aws-chunked trailer signature).");
    }
  }

  private static void expect(byte actual, char wanted) throws AuthException {
    if (actual != wanted) {
      throw incomplete("malformed aws-chunked framing: chunk data longer than its declared size");
    }
  }

  private static AuthException incomplete(String message) {
    return new AuthException(Kind.INCOMPLETE_BODY, message);
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
