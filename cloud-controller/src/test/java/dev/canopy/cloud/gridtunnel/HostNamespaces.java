package dev.canopy.cloud.gridtunnel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Two hosts on one machine: two network namespaces joined by a veth pair, {@link #FIRST_ADDRESS}
 * and {@link #SECOND_ADDRESS} on a /24 of their own, each with its own loopback interface up (so
 * each has its own 127/8, where the grid members and forwarders listen). Both ends of the pair live
 * inside the namespaces: nothing is added to the machine's own network.
 */
final class HostNamespaces implements AutoCloseable {

  static final String FIRST_ADDRESS = "10.99.0.1";
  static final String SECOND_ADDRESS = "10.99.0.2";

  final String first;
  final String second;

  private HostNamespaces(String first, String second) {
    this.first = first;
    this.second = second;
  }

  /** What this machine lacks to create namespaces, or empty when it has it all. */
  static Optional<String> missing() {
    try {
      if (!run("id", "-u").strip().equals("0")) {
        return Optional.of("root (network namespaces need CAP_SYS_ADMIN)");
      }
      run("ip", "netns", "list");
      return Optional.empty();
    } catch (IOException | InterruptedException | IllegalStateException e) {
      return Optional.of("a working 'ip netns' (" + e.getMessage() + ")");
    }
  }

  static HostNamespaces create() throws IOException, InterruptedException {
    long pid = ProcessHandle.current().pid();
    HostNamespaces hosts = new HostNamespaces("canopy-gt-a-" + pid, "canopy-gt-b-" + pid);
    String firstLink = "cgta" + pid % 100_000;
    String secondLink = "cgtb" + pid % 100_000;
    hosts.close();
    try {
      run("ip", "netns", "add", hosts.first);
      run("ip", "netns", "add", hosts.second);
      run("ip", "link", "add", firstLink, "netns", hosts.first, "type", "veth", "peer", "name", secondLink, "netns", hosts.second);
      hosts.up(hosts.first, firstLink, FIRST_ADDRESS);
      hosts.up(hosts.second, secondLink, SECOND_ADDRESS);
      return hosts;
    } catch (IOException | InterruptedException | RuntimeException e) {
      hosts.close();
      throw e;
    }
  }

  private void up(String namespace, String link, String address) throws IOException, InterruptedException {
    run("ip", "-n", namespace, "addr", "add", address + "/24", "dev", link);
    run("ip", "-n", namespace, "link", "set", link, "up");
    run("ip", "-n", namespace, "link", "set", "lo", "up");
  }

  /** {@code command} run inside {@code namespace}. */
  static List<String> inside(String namespace, List<String> command) {
    List<String> wrapped = new java.util.ArrayList<>(List.of("ip", "netns", "exec", namespace));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Deleting a namespace deletes the veth end inside it, and with it the pair. */
  @Override
  public void close() throws IOException, InterruptedException {
    for (String namespace : List.of(first, second)) {
      new ProcessBuilder("ip", "netns", "del", namespace).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
    }
    return out;
  }
}
