package dev.canopy.node.commands;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.canopy.node.protocol.Ack;
import dev.canopy.node.protocol.Command;
import dev.canopy.node.protocol.CommandHandler;
import dev.canopy.node.protocol.CommandTypes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

/**
 * {@code getConsoleOutput}: the newest {@value #BYTES_MAX} bytes of the instance's serial console,
 * base64 as EC2's GetConsoleOutput returns it (EC2 keeps the most recent 64 KB). An instance that
 * has printed nothing yet has empty output.
 */
public final class GetConsoleOutputHandler implements CommandHandler {

  static final int BYTES_MAX = 64 * 1024;

  private final InstanceFiles files;

  public GetConsoleOutputHandler(InstanceFiles files) {
    this.files = files;
  }

  @Override
  public String type() {
    return CommandTypes.GET_CONSOLE_OUTPUT;
  }

  @Override
  public Ack handle(Command command) {
    return Acks.guard(command, () -> read(command));
  }

  private Ack read(Command command) {
    String id = Payloads.instanceId(command);
    if (!Files.isDirectory(files.dir(id))) {
      return Acks.failed(command, Acks.NO_SUCH_DOMAIN, "no instance " + id + " on this node");
    }
    Path log = files.consoleLog(id);
    byte[] tail;
    Instant written;
    try {
      tail = tail(log);
      written = Files.getLastModifiedTime(log).toInstant();
    } catch (NoSuchFileException e) {
      tail = new byte[0];
      written = Instant.EPOCH;
    } catch (IOException e) {
      return Acks.failed(command, Acks.DISK_ERROR, "cannot read the console log: " + e.getMessage());
    }
    ObjectNode result = JsonNodeFactory.instance.objectNode()
        .put("instanceId", id)
        .put("output", Base64.getEncoder().encodeToString(tail))
        .put("timestamp", written.toString());
    return Acks.ok(command, result);
  }

  private static byte[] tail(Path log) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      int n = (int) Math.min(length, BYTES_MAX);
      byte[] out = new byte[n];
      f.seek(length - n);
      f.readFully(out);
      return out;
    } catch (java.io.FileNotFoundException e) {
      throw new NoSuchFileException(log.toString());
    }
  }
}
