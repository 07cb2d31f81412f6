package dev.canopy.cloud.compute;

import dev.canopy.cloud.leadership.Leadership;
import dev.canopy.core.time.Futures;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.CommandTypes;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

/**
 * Asks an instance's node for its console output. Like EC2, an instance whose output cannot be
 * had right now (its node is down, it never booted) answers with no output rather than an error.
 * Only the lease holder's commands reach node agents (they refuse older epochs), so a follower
 * hands the call to the holder.
 */
final class ConsoleReader {

  /** GetConsoleOutput is interactive: a node slower than this answers "no output yet". */
  static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(10);

  private final CommandSender sender;
  private final Leadership leadership;
  private final java.time.InstantSource clock;

  ConsoleReader(CommandSender sender, Leadership leadership, java.time.InstantSource clock) {
    this.sender = sender;
    this.leadership = leadership;
    this.clock = clock;
  }

  ConsoleOutput read(Instance instance) {
    Instant now = clock.instant();
    if (instance.nodeId() == null || instance.state() == InstanceState.TERMINATED) {
      return new ConsoleOutput(instance.instanceId(), now, null);
    }
    if (!leadership.isLeader()) {
      throw ComputeErrors.notLeader();
    }
    Ack ack;
    try {
      ack = Futures.await(sender.send(instance.nodeId(), CommandTypes.GET_CONSOLE_OUTPUT,
          new CommandSender.InstanceRef(instance.instanceId())), TIMEOUT, "console output of " + instance.instanceId());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ConsoleOutput(instance.instanceId(), now, null);
    } catch (RuntimeException | TimeoutException e) {
      // The node is busy or gone: an empty output, as EC2 gives before the first line.
      return new ConsoleOutput(instance.instanceId(), now, null);
    }
    if (!ack.ok() || ack.result() == null) {
      return new ConsoleOutput(instance.instanceId(), now, null);
    }
    String output = ack.result().path("output").asText("");
    Instant written = parse(ack.result().path("timestamp").asText(null), now);
    return new ConsoleOutput(instance.instanceId(), written, output.isEmpty() ? null : output);
  }

  private static Instant parse(String timestamp, Instant fallback) {
    try {
      return timestamp == null ? fallback : Instant.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }
}
