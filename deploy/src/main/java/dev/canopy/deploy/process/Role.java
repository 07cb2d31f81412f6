package dev.canopy.deploy.process;

import java.util.Map;

/**
 * One role of a Canopy process — storage, controller or node — started by its own class's
 * {@code start} from explicit settings and the parts it depends on, and stopped by
 * {@link #close()}. A process runs one role ({@code canopy storage|controller|node}) or, in the
 * cloud in a box, all three in the order storage, controller, node.
 */
public interface Role extends AutoCloseable {

  /** What this role serves, keyed as in {@code endpoints.json}. */
  Map<String, String> endpoints();

  /** Stops what the role started, newest first; never throws. */
  @Override
  void close();

  /** What a role does to start; it may leave parts running when it fails. */
  @FunctionalInterface
  interface Start {
    void run() throws Exception;
  }

  /** Runs {@code start} for {@code role}; when it fails, closes what it had started and rethrows. */
  static <R extends Role> R started(R role, Start start) throws Exception {
    try {
      start.run();
      return role;
    } catch (Exception | Error e) {
      role.close();
      throw e;
    }
  }
}
