package dev.canopy.node.commands;

import dev.canopy.node.epoch.EpochStore;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's single entry point for commands. In order: a command id seen recently gets the same
 * Ack again (a retried command never acts twice); an epoch older than the newest seen is refused
 * with "StaleEpoch" (a newer one is made durable first); an unknown type gets "UnknownCommand";
 * otherwise the type's handler runs. Every Ack carries the epoch the agent holds.
 *
 * <p>Never throws: this is the boundary between the transport and the handlers, so a handler bug
 * becomes an "InternalError" Ack and an ERROR log line with the stack trace (the controller sees
 * only the message). Blocks for as long as the handler does; call it from a worker thread.
 */
public final class CommandDispatcher {

  private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
  /** Ids remembered for duplicate detection. */
  public static final int DEFAULT_RECENT_COMMANDS = 4_096;

  private final EpochStore epochs;
  private final Map<String, CommandHandler> handlers = new HashMap<>();
  private final RecentAcks recent;

  public CommandDispatcher(EpochStore epochs, Collection<? extends CommandHandler> handlers, int recentCommands) {
    this.epochs = epochs;
    this.recent = new RecentAcks(recentCommands);
    for (CommandHandler h : handlers) {
      if (this.handlers.putIfAbsent(h.type(), h) != null) {
        throw new IllegalArgumentException("two handlers for command type " + h.type());
      }
    }
  }

  public Ack dispatch(Command command) {
    if (command == null || command.id() == null || command.id().isBlank() || command.type() == null) {
      return new Ack(command == null ? null : command.id(), false, Acks.INVALID_COMMAND,
          "a command needs an id and a type", epochs.held(), null);
    }
    CompletableFuture<Ack> mine = new CompletableFuture<>();
    CompletableFuture<Ack> earlier = recent.claim(command.id(), mine);
    if (earlier != null) {
      log.debug("command {} seen before; answering with its Ack again", command.id());
      return earlier.join();
    }
    Ack ack = null;
    try {
      ack = decide(command);
      return ack;
    } finally {
      mine.complete(ack != null ? ack
          : Acks.withHeldEpoch(Acks.failed(command, Acks.INTERNAL_ERROR, "the agent failed to answer"), epochs.held()));
    }
  }

  private Ack decide(Command command) {
    try {
      if (!epochs.accept(command.epoch())) {
        log.warn("refused command {} ({}): epoch {} is older than the newest seen, {}", command.id(), command.type(),
            command.epoch(), epochs.held());
        return new Ack(command.id(), false, Acks.STALE_EPOCH,
            "epoch " + command.epoch() + " is older than the newest seen, " + epochs.held(), epochs.held(), null);
      }
    } catch (UncheckedIOException e) {
      log.error("cannot persist epoch {}; refusing command {}", command.epoch(), command.id(), e);
      return Acks.withHeldEpoch(Acks.failed(command, Acks.INTERNAL_ERROR, "cannot persist the epoch"), epochs.held());
    }
    CommandHandler handler = handlers.get(command.type());
    if (handler == null) {
      return Acks.withHeldEpoch(
          Acks.failed(command, Acks.UNKNOWN_COMMAND, "no handler for command type " + command.type()), epochs.held());
    }
    // One line per command run, in order: what an operator (and the fencing tests) read back.
    log.info("running command {} ({}) under epoch {}", command.id(), command.type(), command.epoch());
    Ack ack;
    try {
      ack = handler.handle(command);
    } catch (RuntimeException e) {
      // A bug in a handler: escalate loudly in the log, answer without the stack trace.
      log.error("handler for {} failed on command {}", command.type(), command.id(), e);
      ack = Acks.failed(command, Acks.INTERNAL_ERROR, command.type() + " failed: " + e);
    }
    if (ack == null) {
      log.error("handler for {} returned no Ack for command {}", command.type(), command.id());
      ack = Acks.failed(command, Acks.INTERNAL_ERROR, command.type() + " returned no answer");
    }
    if (!ack.ok()) {
      // The controller shows it to the tenant too; here it is for whoever reads the node's log.
      log.warn("command {} ({}) failed: {}: {}", command.id(), command.type(), ack.error(), ack.message());
    }
    return Acks.withHeldEpoch(ack, epochs.held());
  }
}
