package dev.canopy.deploy.it;

import dev.canopy.deploy.controller.ControllerCommand;
import picocli.CommandLine;

/**
 * {@code canopy controller} as a stale holder: it keeps leading past its lease's deadline, so
 * {@link LocalClusterIT} can show that the grid and the node agents refuse what it sends. Started
 * from the test classes with the same arguments as {@code canopy controller}.
 */
public final class StaleController {

  private StaleController() {}

  public static void main(String[] args) {
    System.setProperty("hazelcast.logging.type", "slf4j");
    System.exit(new CommandLine(ControllerCommand.leadingPastItsDeadline()).execute(args));
  }
}
