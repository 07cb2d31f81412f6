package dev.canopy.storage.kv.riak;

/**
 * A request this interface answers with an error status and Riak's plain-text explanation
 * before (or instead of) calling the store: a malformed query parameter, header or body.
 */
final class RiakProblem extends RuntimeException {

  final int status;

  RiakProblem(int status, String text) {
    super(text, null, false, false);
    this.status = status;
  }

  static RiakProblem badRequest(String text) {
    return new RiakProblem(400, text);
  }
}
