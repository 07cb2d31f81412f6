package dev.canopy.storage.directory;

import dev.canopy.core.net.PeerHttp;
import dev.canopy.core.cloud.CloudLimits;
import dev.canopy.core.time.Deadline;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.Time;
import dev.canopy.storage.s3.DirectoryUnavailableException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS calls to whichever controller answers. A call starts at the controller that answered
 * last and moves to the next when one is unreachable, times out or answers 5xx (any controller
 * serves the directory); it tries each at most once, plus one more try so that a pooled
 * connection the server had closed costs no failure, all within {@link #CALL_TIMEOUT} on the
 * injected clock. Every call the directory API makes is idempotent (a create that was applied
 * before its answer got lost is recognised by the caller), so a repeat is harmless. When nobody
 * answers: {@link DirectoryUnavailableException}, logged once per outage rather than per call.
 */
final class DirectoryClient {

  private static final Logger LOG = LoggerFactory.getLogger(DirectoryClient.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** One controller's answer: a grid read takes milliseconds; three seconds is a sick controller. */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
  /** One call across every controller; an S3 request waits at most this for the directory. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);

  /** A controller's answer: any status below 500, with its body. */
  record Answer(int status, byte[] body) {}

  private final Supplier<List<URI>> controllers;
  private final HttpClient http;
  private final Time time;
  private final AtomicInteger preferred = new AtomicInteger();
  private final AtomicBoolean down = new AtomicBoolean();

  DirectoryClient(List<URI> controllers, SSLContext tls, Time time) {
    this(fixed(controllers), tls, time);
  }

  /**
   * @param controllers read at each call: the cloud in a box learns its controller's URL only
   *     after its storage role has started
   */
  DirectoryClient(Supplier<List<URI>> controllers, SSLContext tls, Time time) {
    this.controllers = controllers;
    this.time = time;
    this.http = PeerHttp.client(tls, CONNECT_TIMEOUT);
  }

  private static Supplier<List<URI>> fixed(List<URI> controllers) {
    List<URI> checked = checked(controllers);
    return () -> checked;
  }

  private static List<URI> checked(List<URI> controllers) {
    if (controllers.isEmpty() || controllers.size() > CloudLimits.CONTROLLERS_MAX) {
      throw new IllegalArgumentException("the directory needs 1 to " + CloudLimits.CONTROLLERS_MAX + " controller URLs, not " + controllers.size());
    }
    return controllers.stream().map(DirectoryClient::base).toList();
  }

  private static URI base(URI url) {
    if (!"https".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("a controller's directory URL must be https with a host, not " + url);
    }
    return URI.create("https://" + url.getRawAuthority());
  }

  List<URI> controllers() {
    return controllers.get();
  }

  Answer get(String what, String path, int bodyBytesMax) {
    return call(what, path, HttpRequest.Builder::GET, bodyBytesMax);
  }

  Answer put(String what, String path, byte[] body) {
    return call(what, path, r -> r.header("Content-Type", DirectoryJson.CONTENT_TYPE).PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
        DirectoryJson.RECORD_BYTES_MAX);
  }

  Answer delete(String what, String path) {
    return call(what, path, HttpRequest.Builder::DELETE, DirectoryJson.RECORD_BYTES_MAX);
  }

  /** @param what names the call in messages; never a secret */
  private Answer call(String what, String path, UnaryOperator<HttpRequest.Builder> method, int bodyBytesMax) {
    Deadline deadline = Deadline.after(time, CALL_TIMEOUT);
    List<URI> controllers = controllers();
    if (controllers.isEmpty()) {
      throw new DirectoryUnavailableException(what + ": no controller's directory is known yet", null);
    }
    int first = Math.floorMod(preferred.get(), controllers.size());
    int tries = controllers.size() + 1;
    String lastFailure = "no controller was tried";
    for (int attempt = 0; attempt < tries && !deadline.expired(); attempt++) {
      int index = (first + attempt) % controllers.size();
      URI base = controllers.get(index);
      // HttpClient refuses a zero timeout; a deadline that just ran out still gets one last millisecond.
      Duration timeout = max(Duration.ofMillis(1), min(ATTEMPT_TIMEOUT, deadline.remaining()));
      HttpRequest request = method.apply(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)).build();
      try {
        HttpResponse<byte[]> response =
            Futures.await(http.sendAsync(request, info -> new LimitedBody(bodyBytesMax)), timeout, what + " on " + base);
        if (response.statusCode() < 500) {
          preferred.set(index);
          if (down.compareAndSet(true, false)) {
            LOG.info("the controllers' directory answers again ({})", base);
          }
          return new Answer(response.statusCode(), response.body());
        }
        lastFailure = base + " answered " + response.statusCode()
            + DirectoryJson.errorCode(response.body()).map(code -> " " + code).orElse("");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DirectoryUnavailableException(what + " was interrupted", e);
      } catch (TimeoutException | RuntimeException e) {
        // Unreachable, refused by TLS, cut off, too large or too slow: the next one may do better.
        lastFailure = base + ": " + describe(e);
      }
      LOG.debug("{}: {}", what, lastFailure);
    }
    if (down.compareAndSet(false, true)) {
      LOG.warn("the controllers' directory is unavailable: {} found no controller of {} that answers (last: {})", what, controllers,
          lastFailure);
    }
    throw new DirectoryUnavailableException(what + ": no controller answered (last: " + lastFailure + ")", null);
  }

  /** The failure itself, not the wrapper a future put around it; JDK connection errors often carry no message. */
  private static String describe(Exception e) {
    Throwable cause = e instanceof UncheckedIOException || e instanceof CompletionException
        ? (e.getCause() == null ? e : e.getCause()) : e;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
