package dev.canopy.cloud.keypairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key material and fingerprints checked against OpenSSH and OpenSSL, computed the way AWS's
 * documentation tells users to verify them. These tools are required: a missing one fails.
 */
class SshKeysTest {

  private final SecureRandom random = new SecureRandom();

  @Test
  void createdRsaIsPkcs1ThatOpenSshReadsAndItsFingerprintIsSha1OfPkcs8(@TempDir Path dir) throws Exception {
    SshKeys.Generated key = SshKeys.generateRsa(random);
    assertThat(key.privateKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----\n").endsWith("-----END RSA PRIVATE KEY-----");
    Path pem = privateFile(dir, key.privateKeyPem());
    assertThat(run(dir, "ssh-keygen", "-y", "-f", pem.toString())).startsWith("ssh-rsa " + key.publicKeyBase64());
    // AWS: openssl pkcs8 -in key.pem -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c
    String pkcs8 = run(dir, "sh", "-c", "openssl pkcs8 -in " + pem + " -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c");
    assertThat(pkcs8).endsWith(key.fingerprint());
    assertThat(key.fingerprint()).matches("([0-9a-f]{2}:){19}[0-9a-f]{2}");
  }

  @Test
  void createdEd25519IsOpenSshFormatAndItsFingerprintIsPaddedSha256(@TempDir Path dir) throws Exception {
    SshKeys.Generated key = SshKeys.generateEd25519(random);
    assertThat(key.privateKeyPem()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    Path pem = privateFile(dir, key.privateKeyPem());
    String publicLine = run(dir, "ssh-keygen", "-y", "-f", pem.toString());
    assertThat(publicLine).startsWith("ssh-ed25519 " + key.publicKeyBase64());
    Files.writeString(dir.resolve("k.pub"), publicLine + "\n");
    String sshFingerprint = run(dir, "ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("k.pub").toString()).split(" ")[1];
    // ssh-keygen drops the base64 padding and prefixes SHA256:; AWS shows the padded digest.
    assertThat(key.fingerprint()).endsWith("=");
    assertThat("SHA256:" + key.fingerprint().replace("=", "")).isEqualTo(sshFingerprint);
  }

  @Test
  void importedRsaFingerprintIsMd5OfTheDerPublicKey(@TempDir Path dir) throws Exception {
    run(dir, "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "me@host", "-f", dir.resolve("id").toString());
    byte[] line = Files.readAllBytes(dir.resolve("id.pub"));
    SshKeys.Parsed parsed = SshKeys.parseImported(line);
    // AWS: ssh-keygen -ef key.pub -m PEM | openssl rsa -RSAPublicKey_in -outform DER | openssl md5 -c
    String expected = run(dir, "sh", "-c", "ssh-keygen -e -f " + dir.resolve("id.pub") + " -m PKCS8 | openssl pkey -pubin -outform DER | openssl md5 -c");
    assertThat(expected).endsWith(parsed.fingerprint());
    assertThat(parsed.keyType()).isEqualTo("rsa");
    assertThat(new String(line, StandardCharsets.UTF_8)).contains(parsed.publicKeyBase64());
  }

  @Test
  void importedEd25519FingerprintIsSha256OfTheBlob(@TempDir Path dir) throws Exception {
    run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("id").toString());
    SshKeys.Parsed parsed = SshKeys.parseImported(Files.readAllBytes(dir.resolve("id.pub")));
    String ssh = run(dir, "ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("id.pub").toString()).split(" ")[1];
    assertThat("SHA256:" + parsed.fingerprint().replace("=", "")).isEqualTo(ssh);
    assertThat(parsed.keyType()).isEqualTo("ed25519");
  }

  @Test
  void junkIsInvalidKeyPairFormat(@TempDir Path dir) throws Exception {
    run(dir, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", dir.resolve("ec").toString());
    String ecdsa = Files.readString(dir.resolve("ec.pub"));
    String ed = SshKeys.generateEd25519(random).publicKeyBase64();
    for (String junk : List.of("", "hello", "ssh-rsa", "ssh-rsa !!!notbase64", "ssh-rsa AAAA", ecdsa, "ssh-rsa " + ed + " liar",
        "x".repeat(SshKeys.PUBLIC_LINE_CHARS_MAX + 1))) {
      assertThatThrownBy(() -> SshKeys.parseImported(junk.getBytes(StandardCharsets.UTF_8)))
          .as(junk.length() > 40 ? junk.substring(0, 40) : junk)
          .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidKeyPair.Format"));
    }
  }

  private static Path privateFile(Path dir, String pem) throws IOException {
    Path file = dir.resolve("key.pem");
    Files.writeString(file, pem + "\n");
    // ssh-keygen refuses private keys others can read.
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  static String run(Path dir, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", List.of(command), out).isZero();
    return out;
  }
}
