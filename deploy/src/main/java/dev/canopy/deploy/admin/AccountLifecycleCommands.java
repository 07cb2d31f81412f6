package dev.canopy.deploy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code canopy account disable|enable NAME} and {@code canopy account keys NAME [--create|--deactivate KEY|--delete KEY]}. */
final class AccountLifecycleCommands {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AccountLifecycleCommands() {}

  private static String accountPath(String name) {
    return "/admin/v1/accounts/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  /** Disabling and enabling: one POST to the account's {@code /disable} or {@code /enable}. */
  private abstract static class StateChange implements Callable<Integer> {
    @ParentCommand AccountCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    /** {@code disable} or {@code enable}: the route and the verb printed. */
    abstract String verb();

    @Override
    public Integer call() {
      return AccountCommand.run(() -> {
        int exit = AccountCommand.report(parent.client().send("POST", accountPath(name) + "/" + verb(), ""), 200);
        if (exit == 0) {
          System.out.println("account " + name + " " + verb() + "d");
        }
        return exit;
      });
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true,
      description = "Disable an account: its keys are refused everywhere and its console sessions end; its instances keep running.")
  static final class Disable extends StateChange {
    @Override
    String verb() {
      return "disable";
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled account again: its active keys work again.")
  static final class Enable extends StateChange {
    @Override
    String verb() {
      return "enable";
    }
  }

  @Command(name = "keys", mixinStandardHelpOptions = true,
      description = "List an account's access keys (never their secrets), or create, deactivate or delete one (at most two per account).")
  static final class Keys implements Callable<Integer> {
    @ParentCommand AccountCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @ArgGroup(exclusive = true)
    Change change;

    static final class Change {
      @Option(names = "--create", description = "Create a key and print its secret (shown this once).")
      boolean create;

      @Option(names = "--deactivate", paramLabel = "KEY", description = "Deactivate a key: it is refused from now on.")
      String deactivate;

      @Option(names = "--delete", paramLabel = "KEY", description = "Delete a key.")
      String delete;
    }

    @Override
    public Integer call() {
      return AccountCommand.run(() -> {
        AdminClient client = parent.client();
        String keys = accountPath(name) + "/keys";
        if (change == null) {
          var reply = client.send("GET", keys, null);
          int exit = AccountCommand.report(reply, 200);
          if (exit == 0) {
            System.out.printf("%-22s %-9s %s%n", "ACCESS KEY", "STATUS", "CREATED");
            for (JsonNode key : JSON.readTree(reply.body()).path("keys")) {
              System.out.printf("%-22s %-9s %s%n", key.path("accessKeyId").asText(), key.path("status").asText(), key.path("createdAt").asText());
            }
          }
          return exit;
        }
        if (change.create) {
          var reply = client.send("POST", keys, "");
          int exit = AccountCommand.report(reply, 201);
          if (exit == 0) {
            JsonNode created = JSON.readTree(reply.body());
            System.out.printf("aws_access_key_id = %s%n", created.path("accessKeyId").asText());
            System.out.printf("aws_secret_access_key = %s%n", created.path("secretAccessKey").asText());
          }
          return exit;
        }
        String key = change.deactivate != null ? change.deactivate : change.delete;
        String path = keys + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        int exit = change.deactivate != null
            ? AccountCommand.report(client.send("POST", path + "/deactivate", ""), 204)
            : AccountCommand.report(client.send("DELETE", path, null), 204);
        if (exit == 0) {
          System.out.println("access key " + key + (change.deactivate != null ? " deactivated" : " deleted"));
        }
        return exit;
      });
    }
  }
}
