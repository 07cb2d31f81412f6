package dev.canopy.node.commands;

/** A command whose payload is missing fields or has values the agent refuses. */
final class InvalidPayloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidPayloadException(String message) {
    super(message);
  }
}
