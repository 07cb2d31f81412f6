package dev.canopy.deploy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code canopy token create}: a one-time node enrollment token, from the admin API of a running cloud. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Node enrollment tokens of a running cloud (signed with DATA/admin/credentials).",
    subcommands = {TokenCommand.Create.class})
public final class TokenCommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--data", description = "The cloud's data folder (default: ${DEFAULT-VALUE}).", defaultValue = "./canopy-data", scope = CommandLine.ScopeType.INHERIT)
  Path data;

  @Option(names = "--endpoint", description = "Console URL (default: the 'console' entry of DATA/endpoints.json).", scope = CommandLine.ScopeType.INHERIT)
  URI endpoint;

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a one-time enrollment token and print it.")
  static final class Create implements Callable<Integer> {
    @ParentCommand TokenCommand parent;

    @Option(names = "--ttl", description = "How long the token stays valid: 90s, 30m, 1h, 2d (default: ${DEFAULT-VALUE}).",
        defaultValue = "1h", converter = DurationConverter.class)
    Duration ttl;

    @Override
    public Integer call() {
      return AccountCommand.run(() -> {
        var reply = AccountCommand.clientFor(parent.data, parent.endpoint).send("POST", "/admin/v1/tokens", JSON.createObjectNode().put("ttlSeconds", ttl.toSeconds()).toString());
        int exit = AccountCommand.report(reply, 201);
        if (exit == 0) {
          JsonNode created = JSON.readTree(reply.body());
          System.out.println(created.path("token").asText());
        }
        return exit;
      });
    }
  }

  /**
   * Creates a one-time enrollment token through the admin API at {@code console}, signed with
   * {@code data}'s admin credentials; for scripts such as {@code canopy local-cluster}.
   */
  public static String create(Path data, java.net.URI console, Duration ttl) throws Exception {
    var reply = AccountCommand.clientFor(data, console).send("POST", "/admin/v1/tokens", JSON.createObjectNode().put("ttlSeconds", ttl.toSeconds()).toString());
    if (reply.status() != 201) {
      throw new IllegalStateException("the controller at " + console + " refused to create a token: " + reply.status() + " " + reply.body());
    }
    return JSON.readTree(reply.body()).path("token").asText();
  }

  /** {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d}, or ISO-8601 ({@code PT1H}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value.strip().toLowerCase(Locale.ROOT);
      try {
        if (text.startsWith("p")) {
          return Duration.parse(text.toUpperCase(Locale.ROOT));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
          case 's' -> Duration.ofSeconds(amount);
          case 'm' -> Duration.ofMinutes(amount);
          case 'h' -> Duration.ofHours(amount);
          case 'd' -> Duration.ofDays(amount);
          default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30m or 1h");
        };
      } catch (RuntimeException e) {
        if (e instanceof CommandLine.TypeConversionException t) {
          throw t;
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30m or 1h");
      }
    }
  }
}
