package dev.canopy.node.protocol;

/**
 * Carries out one command type on a node. One class per type, each with narrow dependencies.
 * Handlers block (libvirt calls): the agent runs them off its event loop, bounded by a timeout.
 */
public interface CommandHandler {

  /** The {@link CommandTypes} value this handler serves. */
  String type();

  /** Acts on the command; an expected failure is an Ack with ok=false, never an exception. */
  Ack handle(Command command);
}
