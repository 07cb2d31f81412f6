package dev.canopy.node.commands;

import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import java.util.concurrent.atomic.AtomicInteger;

/** A handler of one command type that only counts its runs and answers ok: to see whether a command ran. */
public final class CountingHandler implements CommandHandler {

  private final String type;
  private final AtomicInteger runs = new AtomicInteger();

  public CountingHandler(String type) {
    this.type = type;
  }

  /** How many commands it ran. */
  public int runs() {
    return runs.get();
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public Ack handle(Command command) {
    runs.incrementAndGet();
    return new Ack(command.id(), true, null, null, 0, null);
  }
}
