package dev.canopy.node.commands;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import dev.canopy.node.protocol.CommandTypes;

/**
 * {@code announceEpoch}: nothing to do here. The dispatcher has already made the command's epoch
 * durable (or refused it as stale) before any handler runs; the ack, carrying the held epoch,
 * tells the new holder that this agent now refuses every older epoch.
 */
public final class AnnounceEpochHandler implements CommandHandler {

  @Override
  public String type() {
    return CommandTypes.ANNOUNCE_EPOCH;
  }

  @Override
  public Ack handle(Command command) {
    return Acks.ok(command, JsonNodeFactory.instance.objectNode().put("announced", command.epoch()));
  }
}
