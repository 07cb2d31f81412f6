package dev.canopy.deploy.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Cuts one loopback address off from the peer ports of the others with iptables, and heals it
 * on close. The lease transport dials from the controller's own address and its grid member from
 * its alias (127.77.0.id), so "from the address, to a peer port" and "to the address's peer ports",
 * for both, is the whole controller-to-controller traffic of that controller; its EC2 and
 * management ports stay open.
 */
final class Iptables implements AutoCloseable {

  private final List<List<String>> rules = new ArrayList<>();

  private Iptables() {}

  static boolean usable() {
    try {
      // Root, and a rule can really be added and removed (a container may list rules yet refuse changes).
      List<String> probe = List.of("INPUT", "-s", "127.255.255.254", "-p", "tcp", "--dport", "9", "-j", "DROP");
      if (!run(List.of("id", "-u")).strip().equals("0") || exit(concat("-I", probe)) != 0) {
        return false;
      }
      return exit(concat("-D", probe)) == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static List<String> concat(String action, List<String> rule) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", action));
    command.addAll(rule);
    return command;
  }

  static Iptables isolate(String address, int... ports) throws Exception {
    String list = IntStream.of(ports).mapToObj(Integer::toString).collect(Collectors.joining(","));
    Iptables cut = new Iptables();
    cut.add(List.of("INPUT", "-s", address, "-p", "tcp", "-m", "multiport", "--dports", list, "-j", "DROP"));
    cut.add(List.of("INPUT", "-d", address, "-p", "tcp", "-m", "multiport", "--dports", list, "-j", "DROP"));
    return cut;
  }

  private void add(List<String> rule) throws Exception {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "-I"));
    command.addAll(rule);
    if (exit(command) != 0) {
      close();
      throw new IllegalStateException("iptables refused " + command);
    }
    rules.add(rule);
  }

  @Override
  public void close() throws Exception {
    for (List<String> rule : rules) {
      List<String> command = new ArrayList<>(List.of("iptables", "-w", "-D"));
      command.addAll(rule);
      exit(command);
    }
    rules.clear();
  }

  private static int exit(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
