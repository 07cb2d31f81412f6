package dev.canopy.node.disks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code qemu-img} calls a node makes: inspect an image, put a qcow2 overlay over it, grow
 * the overlay. Each runs within a timeout; a failure is an IOException with qemu-img's message.
 *
 * <p>{@link #info} reads images users uploaded, so it probes formats on untrusted bytes: it runs
 * under address-space and CPU limits when {@code prlimit} is available (a crafted header can make
 * qemu-img allocate or loop; OpenStack does the same), and callers must refuse what {@link
 * Info#safeBase()} refuses.
 */
public final class QemuImg {

  /**
   * What {@code qemu-img info} says about an image.
   *
   * @param backingFile the image's own backing file, or null
   * @param dataFile a qcow2 external data file, or null
   */
  public record Info(String format, long virtualSizeBytes, String backingFile, String dataFile) {

    /**
     * Whether this is fit to be a base image: raw or qcow2, reading no other file. A qcow2 that
     * names a backing or data file would let a guest read that host file.
     */
    public boolean safeBase() {
      return ("raw".equals(format) || "qcow2".equals(format)) && backingFile == null && dataFile == null;
    }
  }

  /** Generous for inspecting or creating an overlay; these touch metadata, not data. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** OpenStack's limits for qemu-img info on untrusted images: 1 GiB address space, 30 s CPU. */
  private static final List<String> PROBE_LIMITS = List.of("--as=1073741824", "--cpu=30");

  private final List<String> qemuImg;
  private final List<String> probePrefix;
  private final Duration timeout;

  /**
   * @param executable the qemu-img to run
   * @param prlimit {@code prlimit} to bound probes of untrusted images with, or null to run them unbounded
   */
  public QemuImg(Path executable, Path prlimit, Duration timeout) {
    this.qemuImg = List.of(Objects.requireNonNull(executable, "executable").toString());
    List<String> prefix = new ArrayList<>();
    if (prlimit != null) {
      prefix.add(prlimit.toString());
      prefix.addAll(PROBE_LIMITS);
      prefix.add("--");
    }
    this.probePrefix = List.copyOf(prefix);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** qemu-img from PATH, probes under prlimit when PATH has it. */
  public static QemuImg system(Duration timeout) {
    Path exe = Tool.onPath("qemu-img");
    return new QemuImg(exe == null ? Path.of("qemu-img") : exe, Tool.onPath("prlimit"), timeout);
  }

  /** The image's probed format, virtual size and the other files it would read. */
  public Info info(Path image) throws IOException {
    // --force-share: a running guest's shared lock on its base image must not fail the read.
    List<String> cmd = command(probePrefix, "info", "--output=json", "--force-share", image.toString());
    String out = Tool.runChecked(cmd, timeout).stdout();
    JsonNode json;
    try {
      json = JSON.readTree(out);
    } catch (IOException e) {
      throw new IOException("qemu-img info printed no JSON for " + image + ": " + e.getMessage(), e);
    }
    JsonNode format = json.get("format");
    JsonNode size = json.get("virtual-size");
    if (format == null || !format.isTextual() || size == null || !size.canConvertToLong()) {
      throw new IOException("qemu-img info for " + image + " lacks format or virtual-size");
    }
    return new Info(format.asText(), size.asLong(), text(json.get("backing-filename")),
        text(json.at("/format-specific/data/data-file")));
  }

  /** A new qcow2 at {@code overlay} reading unwritten blocks from {@code base} (of {@code baseFormat}). */
  public void createOverlay(Path base, String baseFormat, Path overlay) throws IOException {
    // -F names the base's format, so nothing ever probes it again (libvirt included).
    Tool.runChecked(command(List.of(), "create", "-q", "-f", "qcow2", "-F", baseFormat, "-b",
        base.toAbsolutePath().toString(), overlay.toString()), timeout);
  }

  /** Grows a qcow2 image to {@code sizeBytes}; the guest grows its filesystem itself. */
  public void resize(Path qcow2, long sizeBytes) throws IOException {
    if (sizeBytes <= 0) {
      throw new IllegalArgumentException("size must be positive, was " + sizeBytes);
    }
    Tool.runChecked(command(List.of(), "resize", "-q", "-f", "qcow2", qcow2.toString(), Long.toString(sizeBytes)),
        timeout);
  }

  private List<String> command(List<String> prefix, String... args) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(qemuImg);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static String text(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
