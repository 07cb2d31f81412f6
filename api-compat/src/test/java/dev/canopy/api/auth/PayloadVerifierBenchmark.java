package dev.canopy.api.auth;

import dev.canopy.api.http.RequestHead;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;

/**
 * How fast a PUT body is verified as it streams: 8 MiB through each payload mode, fed in 64 KiB
 * wire pieces as the network delivers them. The peer is the least any verifier of a signed
 * body must do: SHA-256 plus MD5 (for the ETag) of the same bytes with the JDK's digests. Run
 * with bench/jmh.sh; results in bench/results/.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PayloadVerifierBenchmark {

  private static final int PAYLOAD_BYTES = 8 * 1024 * 1024;
  private static final int WIRE_PIECE_BYTES = 64 * 1024;

  private byte[] payload;
  private SdkSigning.Signed signedPayload;
  private SdkSigning.Signed chunkedSigned;
  private SdkSigning.Signed chunkedUnsignedTrailer;
  private SigV4Verifier verifier;

  @Setup(Level.Trial)
  public void setUp() {
    payload = TestRequests.randomBytes(7, PAYLOAD_BYTES);
    verifier = TestRequests.verifier("s3");
    signedPayload = SdkSigning.signS3(SdkSigning.request(SdkHttpMethod.PUT, "/bucket/key").build(), payload,
        b -> b.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    chunkedSigned = SdkSigning.signS3(SdkSigning.request(SdkHttpMethod.PUT, "/bucket/key").build(), payload,
        b -> b.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true).putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true));
    chunkedUnsignedTrailer = SdkSigning.signS3(SdkSigning.request(SdkHttpMethod.PUT, "/bucket/key").build(), payload,
        b -> b.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false).putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
            .putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32));
  }

  @Benchmark
  public long signedPayloadSha256() throws Exception {
    return verify(signedPayload.head(), signedPayload.body());
  }

  @Benchmark
  public long awsChunkedSigned() throws Exception {
    return verify(chunkedSigned.head(), chunkedSigned.body());
  }

  @Benchmark
  public long awsChunkedUnsignedCrc32Trailer() throws Exception {
    return verify(chunkedUnsignedTrailer.head(), chunkedUnsignedTrailer.body());
  }

  /** The peer: the JDK's SHA-256 and MD5 over the payload, nothing else. */
  @Benchmark
  public int peerJdkSha256AndMd5() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (int offset = 0; offset < payload.length; offset += WIRE_PIECE_BYTES) {
      int n = Math.min(WIRE_PIECE_BYTES, payload.length - offset);
      sha.update(payload, offset, n);
      md5.update(payload, offset, n);
    }
    return sha.digest()[0] + md5.digest()[0];
  }

  private long verify(RequestHead head, byte[] wire) throws AuthException {
    PayloadVerifier body = verifier.verify(head).newPayloadVerifier();
    long decoded = 0;
    for (int offset = 0; offset < wire.length; offset += WIRE_PIECE_BYTES) {
      ByteBuffer out = body.update(ByteBuffer.wrap(wire, offset, Math.min(WIRE_PIECE_BYTES, wire.length - offset)));
      decoded += out.remaining();
    }
    if (body.finish().length() != PAYLOAD_BYTES || decoded != PAYLOAD_BYTES) {
      throw new IllegalStateException("verifier decoded " + decoded + " bytes, expected " + PAYLOAD_BYTES);
    }
    return decoded;
  }
}
