package dev.canopy.deploy.cluster;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code canopy local-cluster down}. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop every process of the cloud in DIR (SIGTERM, then SIGKILL after 30 s); its data stays.")
final class LocalClusterDown implements Callable<Integer> {

  @Option(names = "--dir", required = true, description = "The folder local-cluster up used.")
  Path dir;

  @Override
  public Integer call() throws Exception {
    int stopped = LocalCluster.down(dir, System.out);
    System.out.println("canopy local-cluster: stopped " + stopped + " process(es)");
    return 0;
  }
}
