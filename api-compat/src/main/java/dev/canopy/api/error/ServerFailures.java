package dev.canopy.api.error;

import dev.canopy.api.log.LogText;
import io.vertx.core.http.HttpClosedException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;

/**
 * The one mapping from a failure to the AWS error a client gets, for every API (EC2, S3, admin):
 * an {@link AwsException} is its own answer; a failure that is (or was caused by) an {@link
 * Unavailable} store or grid is {@code 503 ServiceUnavailable}, which the SDKs and the CLI retry;
 * anything else is a bug, {@code 500 InternalError}. The answer carries the code's default message
 * only: an exception's own message can name hosts, paths and keys, and never reaches a client.
 */
public final class ServerFailures {

  /** The 503 of an API with no AWS code list of its own (Canopy's admin JSON API), with S3's and EC2's code. */
  public static final AwsErrorCode SERVICE_UNAVAILABLE =
      new Code(503, "ServiceUnavailable", "A store or the grid cannot serve for now. Please try again shortly, or ask another controller.");
  /** The 500 of such an API. */
  public static final AwsErrorCode INTERNAL_ERROR = new Code(500, "InternalError", "An internal error has occurred; see the server log.");

  /** Causes are a few deep; the bound only keeps a cyclic chain from looping. */
  private static final int CAUSE_DEPTH_MAX = 16;

  private ServerFailures() {}

  /** True when the failure or one of its causes is {@link Unavailable}. */
  public static boolean isUnavailable(Throwable failure) {
    return hasCause(failure, Unavailable.class);
  }

  /**
   * True when the failure is the client's connection closing before the answer (a client that gave
   * up or timed out mid-upload): nothing on the server failed, and no answer can reach it.
   */
  public static boolean isClientGone(Throwable failure) {
    return hasCause(failure, HttpClosedException.class);
  }

  private static boolean hasCause(Throwable failure, Class<?> type) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < CAUSE_DEPTH_MAX; depth++) {
      if (type.isInstance(cause)) {
        return true;
      }
      cause = cause.getCause();
    }
    return false;
  }

  /**
   * The AWS error for {@code failure}, in the codes of the API that answers.
   *
   * @param unavailable that API's 503 {@code ServiceUnavailable}
   * @param internal that API's 500 {@code InternalError}
   */
  public static AwsException toAwsError(Throwable failure, AwsErrorCode unavailable, AwsErrorCode internal) {
    Throwable cause = unwrap(failure);
    if (cause instanceof AwsException aws) {
      return aws;
    }
    return isUnavailable(cause) ? unavailable.exception() : internal.exception();
  }

  /** For an API with no code list of its own: {@link #SERVICE_UNAVAILABLE} or {@link #INTERNAL_ERROR}. */
  public static AwsException toAwsError(Throwable failure) {
    return toAwsError(failure, SERVICE_UNAVAILABLE, INTERNAL_ERROR);
  }

  /**
   * Logs a failure that is about to be answered with {@link #toAwsError}, once: an outage as one WARN
   * line (it is expected while a store or the grid is down, and its stack says nothing new), a client
   * that closed its connection as one INFO line, anything else as an ERROR with its stack.
   *
   * @param what the request, for the log line (escape client-chosen values)
   */
  public static void log(Logger log, String what, Throwable failure) {
    if (isUnavailable(failure)) {
      // One line: the failure's text can hold client-chosen keys.
      log.warn("{} failed: a store or the grid is unavailable: {}", what, LogText.escape(failure.toString()));
    } else if (isClientGone(failure)) {
      log.info("{} ended early: the client closed the connection", what);
    } else {
      log.error("{} failed unexpectedly", what, failure);
    }
  }

  /** The failure a future or a worker wrapped. */
  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; depth < CAUSE_DEPTH_MAX
        && (cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null; depth++) {
      cause = cause.getCause();
    }
    return cause;
  }

  private record Code(int httpStatus, String code, String defaultMessage) implements AwsErrorCode {}
}
