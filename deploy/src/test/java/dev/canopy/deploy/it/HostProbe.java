package dev.canopy.deploy.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another machine on the instance network: a network namespace plugged into the node's bridge by
 * a veth pair. Traffic from here crosses the bridge like a neighbour's does, so the instance's
 * nwfilter judges it (traffic from the host's own bridge address bypasses nwfilter by design).
 */
final class HostProbe implements AutoCloseable {

  private final String namespace;
  private final String hostSide;

  private HostProbe(String namespace, String hostSide) {
    this.namespace = namespace;
    this.hostSide = hostSide;
  }

  /** Plugs a namespace into {@code bridge} with address {@code cidr} (e.g. 10.211.0.250/24). */
  static HostProbe plug(String bridge, String cidr) throws IOException, InterruptedException {
    String ns = "canopy-probe-" + ProcessHandle.current().pid();
    String hostSide = "cprb" + (ProcessHandle.current().pid() % 100000);
    sh("ip netns del " + ns + " 2>/dev/null; ip link del " + hostSide + " 2>/dev/null; true");
    sh("ip netns add " + ns);
    sh("ip link add " + hostSide + " type veth peer name eth0 netns " + ns);
    sh("ip link set " + hostSide + " master " + bridge + " up");
    sh("ip netns exec " + ns + " ip addr add " + cidr + " dev eth0");
    sh("ip netns exec " + ns + " ip link set eth0 up");
    sh("ip netns exec " + ns + " ip link set lo up");
    return new HostProbe(ns, hostSide);
  }

  /** GET / on port 80 from inside the namespace; the body, or null when no connection within 3 s. */
  String httpGet(String address) throws IOException, InterruptedException {
    Result r = run(List.of("ip", "netns", "exec", namespace, "timeout", "3", "bash", "-c",
        "exec 3<>/dev/tcp/" + address + "/80 && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3"), 10);
    return r.exit == 0 && r.out.contains("200") ? r.out : null;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    sh("ip netns del " + namespace + " 2>/dev/null; ip link del " + hostSide + " 2>/dev/null; true");
  }

  record Result(int exit, String out) {}

  static String sh(String command) throws IOException, InterruptedException {
    Result r = run(List.of("bash", "-c", command), 30);
    if (r.exit != 0) {
      throw new AssertionError("'" + command + "' exited " + r.exit + ": " + r.out);
    }
    return r.out;
  }

  static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, "timed out");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
