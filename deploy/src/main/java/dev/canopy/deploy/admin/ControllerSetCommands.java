package dev.canopy.deploy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canopy controller join|leave|list}: the controller set of a running cloud, changed one
 * controller at a time through any controller's admin API ({@code /admin/v1/controllers},
 * docs/admin-api.md). A join only records the new controller: start its {@code canopy controller}
 * process afterwards, with every controller (itself included) in its {@code --controllers}. A leave
 * makes the leaving controller stop by itself once it learns of the change.
 */
public final class ControllerSetCommands {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROW = "%-4s %-40s %s%n";
  private static final String PATH = "/admin/v1/controllers";

  private ControllerSetCommands() {}

  /** Where the admin API is and whose key signs: shared by the three commands. */
  static class Target {
    @Option(names = "--data", defaultValue = "./canopy-data",
        description = "The cloud's folder with admin/credentials and ca.pem (local-cluster's --dir; default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = {"--admin", "--endpoint"},
        description = "Console URL of any running controller, e.g. https://10.0.0.1:8780 (default: the 'console' entry of"
            + " DATA/endpoints.json).")
    URI admin;

    AdminClient client() throws Exception {
      return AccountCommand.clientFor(data, admin);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Show the controller set: version, whether the last change has settled, each controller and whether it is reachable.")
  public static final class List extends Target implements Callable<Integer> {
    @Option(names = "--json", description = "Print the admin API's answer as it is, for scripts.")
    boolean json;

    @Override
    public Integer call() {
      return AccountCommand.run(() -> {
        AdminClient.Reply reply = client().send("GET", PATH, null);
        if (json && reply.status() == 200) {
          System.out.println(reply.body());
          return 0;
        }
        return show(reply, 200);
      });
    }
  }

  @Command(name = "join", mixinStandardHelpOptions = true,
      description = "Add a controller to the set (one change at a time), then start its `canopy controller` process.")
  public static final class Join extends Target implements Callable<Integer> {
    @Option(names = "--id", required = true, description = "The new controller's id (1..255), not yet in the set.")
    int id;

    @Option(names = "--address", required = true, description = "The address the new controller listens on (its --bind).")
    String address;

    @Override
    public Integer call() {
      return AccountCommand.run(() -> {
        String body = JSON.writeValueAsString(java.util.Map.of("id", id, "address", address));
        int exit = show(client().send("POST", PATH, body), 201);
        if (exit == 0) {
          System.out.println("canopy: controller " + id + " joined; start it now with --id " + id
              + " and every controller of the set in --controllers");
        }
        return exit;
      });
    }
  }

  @Command(name = "leave", mixinStandardHelpOptions = true,
      description = "Remove a controller from the set (reachable or failed); a running one stops by itself.")
  public static final class Leave extends Target implements Callable<Integer> {
    @Option(names = "--id", required = true, description = "The id of the controller that leaves.")
    int id;

    @Override
    public Integer call() {
      return AccountCommand.run(() -> show(client().send("DELETE", PATH + "/" + id, null), 200));
    }
  }

  /** Prints the set the API answered with, or its error (exit 1). */
  private static int show(AdminClient.Reply reply, int expected) throws Exception {
    int exit = AccountCommand.report(reply, expected);
    if (exit != 0) {
      return exit;
    }
    JsonNode set = JSON.readTree(reply.body());
    System.out.printf("controller set version %d, %s%n", set.path("version").asLong(),
        set.path("settled").asBoolean() ? "settled" : "change in progress (settles once a lease is won under it)");
    System.out.printf(ROW, "ID", "ADDRESS", "REACHABLE");
    for (JsonNode controller : set.path("controllers")) {
      System.out.printf(ROW, controller.path("id").asText(), controller.path("address").asText(),
          controller.path("reachable").asBoolean() ? "yes" : "no");
    }
    return 0;
  }
}
