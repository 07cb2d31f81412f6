package dev.canopy.deploy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code canopy account create|list|delete|password|disable|enable|keys}: tenant accounts and console passwords, through the admin API of a running cloud. */
@Command(
    name = "account",
    mixinStandardHelpOptions = true,
    description = "Manage tenant accounts of a running cloud (signed with DATA/admin/credentials).",
    subcommands = {AccountCommand.Create.class, AccountCommand.List.class, AccountCommand.Delete.class, AccountCommand.Password.class,
        AccountLifecycleCommands.Disable.class, AccountLifecycleCommands.Enable.class, AccountLifecycleCommands.Keys.class})
public final class AccountCommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--data", description = "The cloud's data folder (default: ${DEFAULT-VALUE}).", defaultValue = "./canopy-data", scope = picocli.CommandLine.ScopeType.INHERIT)
  Path data;

  @Option(names = "--endpoint", description = "Console URL (default: the 'console' entry of DATA/endpoints.json).", scope = picocli.CommandLine.ScopeType.INHERIT)
  URI endpoint;

  AdminClient client() throws Exception {
    CloudFiles files = new CloudFiles(data);
    Map<String, String> endpoints = files.readEndpoints().orElse(Map.of());
    URI console = endpoint != null ? endpoint : endpoints.containsKey("console") ? URI.create(endpoints.get("console")) : null;
    if (console == null) {
      throw new UsageError("no running cloud found: " + files.endpoints() + " is missing (start one with 'canopy dev', or pass --endpoint)");
    }
    Credential admin = CloudFiles.readProfile(files.adminCredentials(), CloudFiles.ADMIN_PROFILE, IdentityService.ADMIN_ACCOUNT_ID)
        .orElseThrow(() -> new UsageError("no administrator credentials in " + files.adminCredentials()));
    Optional<Path> ca = Files.exists(files.caCertificate()) ? Optional.of(files.caCertificate()) : Optional.empty();
    return new AdminClient(console, admin, endpoints.getOrDefault("region", "canopy-1"), ca);
  }

  /** The admin client of the cloud in {@code data} (or at {@code endpoint}), for the other admin commands. */
  static AdminClient clientFor(Path data, URI endpoint) throws Exception {
    AccountCommand connection = new AccountCommand();
    connection.data = data;
    connection.endpoint = endpoint;
    return connection.client();
  }

  /** Prints the API's error and picks the exit code: 1 refused, 2 usage. */
  static int report(AdminClient.Reply reply, int expected) throws Exception {
    if (reply.status() == expected) {
      return 0;
    }
    JsonNode error = reply.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(reply.body());
    System.err.printf("canopy: %s (HTTP %d): %s%n", error.path("code").asText("Error"), reply.status(), error.path("message").asText(reply.body()));
    return 1;
  }

  static int run(Callable<Integer> body) {
    try {
      return body.call();
    } catch (UsageError e) {
      System.err.println("canopy: " + e.getMessage());
      return 2;
    } catch (java.net.ConnectException e) {
      System.err.println("canopy: the cloud's admin API does not answer: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("canopy: " + e);
      return 1;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant account and print its first access key.")
  static final class Create implements Callable<Integer> {
    @ParentCommand AccountCommand parent;

    @Parameters(paramLabel = "NAME", description = "Account name: a-z, 0-9, '.', '_', '-'.")
    String name;

    @Option(names = "--console-password-file", paramLabel = "FILE",
        description = "Also set the account's console password, read from FILE's first line ('-': standard input).")
    Path passwordFile;

    @Override
    public Integer call() {
      return run(() -> {
        String password = passwordFile == null ? null : readPassword(passwordFile);
        AdminClient client = parent.client();
        var reply = client.send("POST", "/admin/v1/accounts", JSON.createObjectNode().put("name", name).toString());
        int exit = report(reply, 201);
        if (exit == 0) {
          JsonNode created = JSON.readTree(reply.body());
          System.out.printf("account %s created (id %s)%n", name, created.path("account").path("id").asText());
          System.out.printf("aws_access_key_id = %s%n", created.path("accessKeyId").asText());
          System.out.printf("aws_secret_access_key = %s%n", created.path("secretAccessKey").asText());
          if (password != null) {
            exit = setPassword(client, name, password);
          }
        }
        return exit;
      });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenant accounts.")
  static final class List implements Callable<Integer> {
    @ParentCommand AccountCommand parent;

    @Override
    public Integer call() {
      return run(() -> {
        var reply = parent.client().send("GET", "/admin/v1/accounts", null);
        int exit = report(reply, 200);
        if (exit == 0) {
          System.out.printf("%-24s %-14s %-8s %s%n", "NAME", "ID", "STATE", "CREATED");
          for (JsonNode account : JSON.readTree(reply.body()).path("accounts")) {
            System.out.printf("%-24s %-14s %-8s %s%n", account.path("name").asText(), account.path("id").asText(),
                account.path("disabled").asBoolean() ? "disabled" : "enabled", account.path("createdAt").asText());
          }
        }
        return exit;
      });
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a tenant account; refused while it owns resources.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand AccountCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return run(() -> {
        var reply = parent.client().send("DELETE", "/admin/v1/accounts/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8), null);
        int exit = report(reply, 204);
        if (exit == 0) {
          System.out.println("account " + name + " deleted");
        }
        return exit;
      });
    }
  }

  @Command(name = "password", mixinStandardHelpOptions = true,
      description = "Set (or with --remove, remove) an account's console password; 'admin' is the operator's.")
  static final class Password implements Callable<Integer> {
    @ParentCommand AccountCommand parent;

    @Parameters(paramLabel = "NAME", description = "Account name, or admin for the operator.")
    String name;

    @Option(names = "--password-file", paramLabel = "FILE", defaultValue = "-",
        description = "Read the password from FILE's first line (default: standard input). Never on the command line, where ps shows it.")
    Path passwordFile;

    @Option(names = "--remove", description = "Remove the password: the account can no longer log in to the console.")
    boolean remove;

    @Override
    public Integer call() {
      return run(() -> {
        if (remove) {
          int exit = report(parent.client().send("DELETE", passwordPath(name), null), 204);
          if (exit == 0) {
            System.out.println("console password of " + name + " removed");
          }
          return exit;
        }
        return setPassword(parent.client(), name, readPassword(passwordFile));
      });
    }
  }

  private static String passwordPath(String name) {
    return "/admin/v1/accounts/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8) + "/console-password";
  }

  private static int setPassword(AdminClient client, String name, String password) throws Exception {
    int exit = report(client.send("PUT", passwordPath(name), JSON.createObjectNode().put("password", password).toString()), 204);
    if (exit == 0) {
      System.out.println("console password of " + name + " set");
    }
    return exit;
  }

  /** The first line of {@code file} ({@code -}: standard input), without its line end. */
  private static String readPassword(Path file) throws java.io.IOException {
    java.io.BufferedReader in = file.toString().equals("-")
        ? new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
        : java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8);
    String line = in.readLine();
    if (line == null || line.isEmpty()) {
      throw new UsageError("no password given: " + (file.toString().equals("-") ? "standard input" : file) + " is empty");
    }
    return line;
  }

  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }
}
