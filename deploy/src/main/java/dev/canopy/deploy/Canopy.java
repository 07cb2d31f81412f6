package dev.canopy.deploy;

import dev.canopy.deploy.admin.AccountCommand;
import dev.canopy.deploy.admin.BillingCommand;
import dev.canopy.deploy.admin.NodesCommand;
import dev.canopy.deploy.admin.StatusCommand;
import dev.canopy.deploy.admin.TokenCommand;
import dev.canopy.deploy.dev.DevCommand;
import dev.canopy.deploy.cluster.InitCommand;
import dev.canopy.deploy.cluster.LocalClusterCommand;
import dev.canopy.deploy.controller.ControllerCommand;
import dev.canopy.deploy.storage.StorageCommand;
import dev.canopy.deploy.node.NodeCommand;
import dev.canopy.deploy.haproxy.HaproxyConfigCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code canopy} command: one jar, one launcher, every role and the admin commands. */
@Command(
    name = "canopy",
    mixinStandardHelpOptions = true,
    versionProvider = Canopy.Version.class,
    description = "A private cloud with EC2- and S3-compatible endpoints.",
    subcommands = {DevCommand.class, InitCommand.class, LocalClusterCommand.class, ControllerCommand.class, StorageCommand.class, NodeCommand.class, AccountCommand.class, BillingCommand.class, TokenCommand.class, NodesCommand.class, StatusCommand.class, HaproxyConfigCommand.class, CommandLine.HelpCommand.class})
public final class Canopy {

  /** Below two, the common pool is replaced by a thread per task (see {@code main}). */
  private static final int COMMON_POOL_THREADS_MIN = 2;

  public static void main(String[] args) {
    // Before any Hazelcast class loads, so even its first lines go through SLF4J.
    System.setProperty("hazelcast.logging.type", "slf4j");
    // The JDK gives the common pool one thread per core but one, and below two threads Hazelcast
    // (and CompletableFuture's default async executor) start a new thread for every callback:
    // on a 2-core machine, thousands per second under S3 load. Set before the pool's class loads.
    System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
        Integer.toString(Math.max(COMMON_POOL_THREADS_MIN, Runtime.getRuntime().availableProcessors() - 1)));
    int exit = new CommandLine(new Canopy())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((failure, commandLine, parsed) -> {
          // A command that let a failure escape: one line with the whole cause chain, not a stack trace.
          commandLine.getErr().println(commandLine.getCommandName() + ": " + Causes.describe(failure));
          return 1;
        })
        .execute(args);
    // The dev command returns only after its cloud has stopped; every command exits explicitly so
    // a lingering non-daemon thread can never keep the JVM alive.
    System.exit(exit);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Canopy.class.getPackage().getImplementationVersion();
      return new String[] {"canopy " + (version == null ? "development build" : version)};
    }
  }
}
