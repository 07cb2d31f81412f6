package dev.canopy.cloud.admin;

import dev.canopy.cloud.consoleapi.ApiError;

/** A request the admin API refuses with 400 {@code InvalidRequest}; the message is safe to send back. */
final class BadRequest extends ApiError {

  BadRequest(String message) {
    super(400, "InvalidRequest", message);
  }
}
