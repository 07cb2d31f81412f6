package dev.canopy.cloud.admin;

/** A request the admin API refuses with 400 {@code InvalidRequest}; the message is safe to send back. */
final class BadRequest extends RuntimeException {

  BadRequest(String message) {
    super(message, null, false, false);
  }
}
