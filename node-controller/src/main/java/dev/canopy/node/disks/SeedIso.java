package dev.canopy.node.disks;

import dev.canopy.core.files.DurableFiles;
import dev.canopy.node.commands.InstanceFiles;
import dev.canopy.node.protocol.InstanceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds an instance's NoCloud seed: an ISO 9660 image labelled {@code cidata} holding
 * {@code meta-data} (instance id, hostname, the key pair's public key) and {@code user-data}, as
 * cloud-init (and the tiny test image's init) look for it on a second disk.
 *
 * <p>The meta-data is YAML written by hand, so every value is either of a shape that needs no
 * quoting (instance ids, hostnames: checked here) or single-quoted with quotes doubled (the key,
 * refused if it spans lines). Plain values matter: the tiny image's init reads the lines with sed.
 */
public final class SeedIso {

  /** An OpenSSH RSA-16384 public key is about 2.8 KB; anything much longer is not a key. */
  static final int PUBLIC_KEY_CHARS_MAX = 8 * 1024;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final int HOSTNAME_CHARS_MAX = 253;

  /** What goes on the seed. Key and user data may be null. */
  public record Seed(String instanceId, String hostname, String sshPublicKey, String userDataBase64) {}

  private final List<String> mkisofs;
  private final Duration timeout;

  /** @param mkisofs the command that takes mkisofs's options: {@code [genisoimage]} or {@code [xorriso, -as, mkisofs]} */
  public SeedIso(List<String> mkisofs, Duration timeout) {
    if (mkisofs.isEmpty()) {
      throw new IllegalArgumentException("no ISO tool given");
    }
    this.mkisofs = List.copyOf(mkisofs);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** genisoimage from PATH, else xorriso in its mkisofs mode; building fails clearly if neither is there. */
  public static SeedIso system(Duration timeout) {
    Path genisoimage = Tool.onPath("genisoimage");
    if (genisoimage != null) {
      return new SeedIso(List.of(genisoimage.toString()), timeout);
    }
    Path xorriso = Tool.onPath("xorriso");
    return new SeedIso(xorriso == null ? List.of("genisoimage") : List.of(xorriso.toString(), "-as", "mkisofs"),
        timeout);
  }

  /**
   * Writes the seed to {@code iso} (mode 0644: QEMU reads it), replacing any earlier one whole.
   *
   * @throws IllegalArgumentException a value cannot go on a seed (the payload's fault)
   */
  public void build(Path iso, Seed seed) throws IOException {
    String metaData = metaData(seed);
    byte[] userData = userData(seed.userDataBase64());
    Path staging = iso.resolveSibling(iso.getFileName() + ".d");
    Path partial = iso.resolveSibling(iso.getFileName() + ".part");
    clear(staging);
    Files.createDirectories(staging);
    try {
      Files.writeString(staging.resolve("meta-data"), metaData, StandardCharsets.UTF_8);
      Files.write(staging.resolve("user-data"), userData);
      List<String> cmd = new ArrayList<>(mkisofs);
      cmd.addAll(List.of("-quiet", "-output", partial.toString(), "-volid", "cidata", "-joliet", "-rock",
          staging.toString()));
      Tool.runChecked(cmd, timeout);
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
      DurableFiles.moveAtomically(partial, iso);
    } finally {
      Files.deleteIfExists(partial);
      clear(staging);
    }
  }

  /** The meta-data document; refuses values that could break out of their YAML line. */
  static String metaData(Seed seed) {
    if (!InstanceFiles.isInstanceId(seed.instanceId())) {
      throw new IllegalArgumentException("not an instance id: " + seed.instanceId());
    }
    StringBuilder yaml = new StringBuilder()
        .append("instance-id: ").append(seed.instanceId()).append('\n')
        .append("local-hostname: ").append(hostname(seed.hostname())).append('\n');
    if (seed.sshPublicKey() != null && !seed.sshPublicKey().isBlank()) {
      yaml.append("public-keys:\n  - '").append(publicKey(seed.sshPublicKey()).replace("'", "''")).append("'\n");
    }
    return yaml.toString();
  }

  /** The user data's bytes (empty when none); cloud-init wants the file even when it is empty. */
  static byte[] userData(String base64) {
    if (base64 == null || base64.isEmpty()) {
      return new byte[0];
    }
    // Base64 of 16 KiB is under 22 KiB; refuse larger input before decoding it.
    if (base64.length() > InstanceSpec.USER_DATA_BYTES_MAX * 2) {
      throw new IllegalArgumentException("user data is larger than " + InstanceSpec.USER_DATA_BYTES_MAX + " bytes");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("user data is not base64: " + e.getMessage(), e);
    }
    if (bytes.length > InstanceSpec.USER_DATA_BYTES_MAX) {
      throw new IllegalArgumentException("user data is " + bytes.length + " bytes; at most " + InstanceSpec.USER_DATA_BYTES_MAX);
    }
    return bytes;
  }

  private static String hostname(String hostname) {
    if (hostname == null || hostname.length() > HOSTNAME_CHARS_MAX) {
      throw new IllegalArgumentException("not a hostname: " + hostname);
    }
    for (String label : hostname.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("not a hostname: " + hostname);
      }
    }
    return hostname;
  }

  private static String publicKey(String key) {
    String k = key.strip();
    if (k.length() > PUBLIC_KEY_CHARS_MAX) {
      throw new IllegalArgumentException("public key is longer than " + PUBLIC_KEY_CHARS_MAX + " characters");
    }
    // One line, printable: a newline would start a YAML key of its own, a control character would be invalid YAML.
    if (k.codePoints().anyMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))) {
      throw new IllegalArgumentException("public key must be one line of printable characters");
    }
    return k;
  }

  /** Removes a staging dir this class made: a few flat files, so no deep walk is needed. */
  private static void clear(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.limit(16)::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.delete(dir);
  }
}
