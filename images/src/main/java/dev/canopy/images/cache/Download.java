package dev.canopy.images.cache;

import dev.canopy.core.time.Futures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;

/**
 * One attempt at one object: a GET streamed into a temp file and hashed on the way. Either the
 * temp file holds exactly the expected bytes (size and digest checked, synced to disk, mode 0644)
 * or it is deleted and an {@link IOException} says why. Never writes more than the expected size.
 */
final class Download {

  private Download() {}

  /** The verified temp file in {@code tmpDir}, ready to be renamed into place. */
  static Path attempt(HttpClient http, URI url, String sha256, long sizeBytes, Path tmpDir,
      Duration requestTimeout, Duration attemptTimeout) throws IOException, InterruptedException {
    Path tmp = Files.createTempFile(tmpDir, Sha256.shortForm(sha256) + "-", ".part");
    boolean verified = false;
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      HashingFileSubscriber body = new HashingFileSubscriber(out, sizeBytes);
      HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build();
      HttpResponse.BodyHandler<Void> handler =
          info -> info.statusCode() == 200 ? body : HttpResponse.BodySubscribers.replacing(null);
      int status = send(http, request, handler, attemptTimeout);
      if (status != 200) {
        throw new IOException("HTTP " + status);
      }
      if (body.written != sizeBytes) {
        throw new IOException("truncated: got " + body.written + " of " + sizeBytes + " bytes");
      }
      String actual = Sha256.hex(body.digest.digest());
      if (!actual.equals(sha256)) {
        throw new IOException("digest mismatch: got sha256 " + Sha256.shortForm(actual) + "…");
      }
      out.force(true);
      verified = true;
    } finally {
      if (!verified) {
        Files.deleteIfExists(tmp);
      }
    }
    // QEMU runs as another user and opens base images, kernels and ramdisks read-only.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    return tmp;
  }

  private static int send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<Void> handler,
      Duration attemptTimeout) throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, handler);
    try {
      return Futures.await(response, attemptTimeout, "a response from " + redacted(request.uri())).statusCode();
    } catch (TimeoutException e) {
      throw new IOException("no complete response within " + attemptTimeout.toMillis() + " ms");
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  /** The URL without its query: a presigned URL's signature must not reach logs or acks. */
  static String redacted(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
  }

  /**
   * Writes the body to the file and the digest as it arrives, one buffer list at a time (so the
   * download never outruns the disk), and stops the transfer the moment it overruns the size.
   */
  private static final class HashingFileSubscriber implements HttpResponse.BodySubscriber<Void> {
    private final FileChannel out;
    private final long limitBytes;
    private final MessageDigest digest = Sha256.newDigest();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Flow.Subscription subscription;
    // Written by onNext only; read after done completes, which orders it.
    private long written;

    HashingFileSubscriber(FileChannel out, long limitBytes) {
      this.out = out;
      this.limitBytes = limitBytes;
    }

    @Override
    public CompletionStage<Void> getBody() {
      return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      try {
        for (ByteBuffer b : buffers) {
          if (written + b.remaining() > limitBytes) {
            throw new IOException("body is longer than the expected " + limitBytes + " bytes");
          }
          digest.update(b.duplicate());
          while (b.hasRemaining()) {
            written += out.write(b);
          }
        }
        subscription.request(1);
      } catch (IOException e) {
        subscription.cancel();
        done.completeExceptionally(e);
      }
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }
}
