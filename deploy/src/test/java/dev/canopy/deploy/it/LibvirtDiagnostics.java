package dev.canopy.deploy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * When a real-guest test fails, says what state libvirtd and the host were in, in the failure's
 * own message (a CI log keeps the message, not always the output): libvirtd's worker pool and
 * clients, its domains, QEMU processes, how long defining an empty domain takes now, the load,
 * whether a D-Bus system bus or /dev/kvm is present, and the end of libvirtd's log (deploy/libvirtd
 * start sends its warnings and errors to /var/log/libvirt/libvirtd.log). A libvirtd that answers {@code version} but
 * takes half a minute to define a domain fails every guest test alike; this tells why.
 */
final class LibvirtDiagnostics implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withDiagnostics(failure);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withDiagnostics(failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withDiagnostics(failure);
  }

  private static Throwable withDiagnostics(Throwable failure) {
    if (failure instanceof TestAbortedException) {
      return failure; // a skip names what is missing already
    }
    StringBuilder logs = new StringBuilder();
    // A cloud in a box the test drives: what it said last (its log goes with the test's temp folder).
    CanopyProcess.OPEN.forEach(canopy -> logs.append("\n[canopy dev log ends]\n").append(canopy.logTail(60)));
    AssertionError annotated = new AssertionError(failure.getMessage() + "\n[libvirt diagnostics] " + now() + logs, failure);
    annotated.setStackTrace(failure.getStackTrace());
    return annotated;
  }

  /** One paragraph on libvirtd and the host, as of now; never throws. */
  static String now() {
    StringBuilder out = new StringBuilder();
    try {
      out.append("load ").append(Files.readString(Path.of("/proc/loadavg")).trim());
      out.append("; /dev/kvm ").append(Files.exists(Path.of("/dev/kvm")) ? "present" : "absent");
      out.append("; dbus-daemon ").append(running("dbus-daemon") ? "running" : "not running");
      out.append("; polkitd ").append(running("polkitd") ? "running" : "not running");
      out.append("; qemu processes ").append(count("qemu-system-x86_64"));
      long start = System.nanoTime();
      Path probe = Files.createTempFile("libvirt-diagnostics", ".xml");
      Files.writeString(probe, "<domain type='qemu'><name>canopy-diagnostics-probe</name><memory unit='MiB'>32</memory>"
          + "<os><type arch='x86_64'>hvm</type></os></domain>");
      HostProbe.Result define = HostProbe.run(List.of("virsh", "-q", "-c", LibvirtHost.URI, "define", probe.toString()), 60);
      out.append("; define of an empty domain: exit ").append(define.exit()).append(" after ")
          .append((System.nanoTime() - start) / 1_000_000).append(" ms");
      HostProbe.run(List.of("virsh", "-q", "-c", LibvirtHost.URI, "undefine", "canopy-diagnostics-probe"), 60);
      Files.deleteIfExists(probe);
      out.append("\n  threadpool: ").append(oneLine(HostProbe.run(
          List.of("virt-admin", "-c", "libvirtd:///system", "server-threadpool-info", "libvirtd"), 20).out()));
      out.append("\n  clients: ").append(oneLine(HostProbe.run(
          List.of("virt-admin", "-c", "libvirtd:///system", "srv-clients-list", "libvirtd"), 20).out()));
      Path log = Path.of("/var/log/libvirt/libvirtd.log");
      if (Files.isReadable(log)) {
        List<String> lines = Files.readAllLines(log);
        out.append("\n  libvirtd.log ends: ").append(String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size())));
      }
      out.append("\n  domains: ").append(oneLine(HostProbe.run(List.of("virsh", "-c", LibvirtHost.URI, "list", "--all"), 20).out()));
    } catch (Exception e) {
      out.append(" (diagnostics stopped: ").append(e).append(")");
    }
    return out.toString();
  }

  private static boolean running(String process) throws Exception {
    return HostProbe.run(List.of("pgrep", "-x", process), 10).exit() == 0;
  }

  private static String count(String process) throws Exception {
    return HostProbe.run(List.of("pgrep", "-c", "-f", process), 10).out().trim();
  }

  private static String oneLine(String text) {
    return text.trim().replaceAll("\\s*\\n\\s*", " | ").replaceAll("[ ]{2,}", " ");
  }
}
