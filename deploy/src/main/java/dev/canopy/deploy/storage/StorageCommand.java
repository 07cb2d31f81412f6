package dev.canopy.deploy.storage;

import dev.canopy.deploy.process.ProcessMetrics;
import dev.canopy.deploy.process.ProcessParts;
import dev.canopy.core.time.Futures;
import dev.canopy.core.time.SystemTime;
import dev.canopy.core.time.Time;
import dev.canopy.deploy.Causes;
import dev.canopy.deploy.StopOnSignal;
import dev.canopy.deploy.config.Ports;
import dev.canopy.deploy.process.CloudFiles;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code canopy storage}: a process that runs the {@link StorageRole}. */
@Command(
    name = "storage",
    mixinStandardHelpOptions = true,
    description = "Run a storage process: the controllers' durable store over mutual TLS (port 8777).")
public final class StorageCommand implements Callable<Integer> {

  private static final Duration STOP_STEP_TIMEOUT = Duration.ofSeconds(20);

  @Option(names = "--cloud", required = true, description = "The cloud's identity folder (canopy init's DIR/identity).")
  Path cloud;

  @Option(names = "--data", required = true, description = "This process's data folder (canopy init seeds DIR/storage-1).")
  Path data;

  @Option(names = "--id", description = "This storage process's id, named in its certificate (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  String id;

  @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
  String bind;

  @Option(names = "--kv-port", description = "Internal key-value port (default: ${DEFAULT-VALUE}; 0 = any).", defaultValue = "" + Ports.KV_DEFAULT)
  int kvPort;

  @Override
  public Integer call() throws Exception {
    Time clock = SystemTime.INSTANCE;
    long started = clock.nanoTime();
    Vertx vertx = Vertx.vertx();
    StorageRole role;
    try {
      role = StorageRole.start(new StorageRole.Settings(cloud, data, id, bind, kvPort),
          new ProcessParts(vertx, clock, new SecureRandom(), ProcessMetrics.create()));
    } catch (Exception e) {
      System.err.println("canopy storage: " + Causes.describe(e));
      vertx.close();
      return 1;
    }
    CloudFiles files = new CloudFiles(data);
    files.writeEndpoints(role.endpoints());
    role.endpoints().forEach((name, url) -> System.out.printf("canopy storage: %-10s %s%n", name, url));
    System.out.printf("canopy storage: ready in %.2f s (data %s)%n", (clock.nanoTime() - started) / 1e9, data.toAbsolutePath());
    System.out.flush();
    StopOnSignal.await("canopy storage", () -> {
      files.withdrawEndpoints();
      role.close();
      try {
        Futures.await(vertx.close().toCompletionStage(), STOP_STEP_TIMEOUT, "Vert.x's close");
      } catch (Exception e) {
        System.err.println("canopy storage: did not stop cleanly: " + e);
      }
    });
    return 0;
  }
}
