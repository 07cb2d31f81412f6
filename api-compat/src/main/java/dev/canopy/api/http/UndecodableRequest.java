package dev.canopy.api.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BiConsumer;

/**
 * Why the HTTP/1.x decoder refused a request before any handler saw it: the request line or the
 * headers exceed the server's limits, or the bytes are not HTTP (a prohibited character in a
 * header, say). Vert.x answers these itself with an empty body, or only closes the connection,
 * which no AWS client can read; each endpoint installs {@link #answerIn} to answer in its own
 * error shape instead.
 */
public enum UndecodableRequest {
  URI_TOO_LONG(414, "The request line is longer than this endpoint accepts."),
  HEADERS_TOO_LARGE(431, "The request headers are larger than this endpoint accepts."),
  MALFORMED(400, "The request is not valid HTTP/1.1.");

  private final int httpStatus;
  private final String message;

  UndecodableRequest(int httpStatus, String message) {
    this.httpStatus = httpStatus;
    this.message = message;
  }

  /** The status Vert.x itself would have answered with. */
  public int httpStatus() {
    return httpStatus;
  }

  public String message() {
    return message;
  }

  public static UndecodableRequest of(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      return URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return HEADERS_TOO_LARGE;
    }
    return MALFORMED;
  }

  /**
   * Makes {@code server} answer undecodable requests with {@code answer}, which must end the
   * request's response; the server then closes the connection (what follows on it cannot be
   * trusted).
   */
  public static HttpServer answerIn(HttpServer server, BiConsumer<UndecodableRequest, HttpServerRequest> answer) {
    return server.invalidRequestHandler(request -> answer.accept(of(request), request));
  }
}
