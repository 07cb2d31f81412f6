package dev.canopy.cloud.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

  private final SecureRandom random = new SecureRandom();

  @Test
  void sealedSecretOpensOnlyWithTheSameKeyAndPurpose() {
    MasterKey key = MasterKey.generate(random);
    SecretBox box = new SecretBox(key, random);
    String sealed = box.seal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "access-key-secret/AKIA1");

    assertThat(sealed).doesNotContain("wJalrXUtnFEMI");
    assertThat(box.open(sealed, "access-key-secret/AKIA1")).isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    assertThatThrownBy(() -> box.open(sealed, "access-key-secret/AKIA2")).isInstanceOf(SecretBoxException.class);
    SecretBox other = new SecretBox(MasterKey.generate(random), random);
    assertThatThrownBy(() -> other.open(sealed, "access-key-secret/AKIA1")).isInstanceOf(SecretBoxException.class);
  }

  @Test
  void sealingTwiceGivesDifferentCiphertexts() {
    SecretBox box = new SecretBox(MasterKey.generate(random), random);
    assertThat(box.seal("same", "p")).isNotEqualTo(box.seal("same", "p"));
  }

  @Test
  void tamperedCiphertextIsRefused() {
    SecretBox box = new SecretBox(MasterKey.generate(random), random);
    byte[] sealed = java.util.Base64.getDecoder().decode(box.seal("secret", "p"));
    sealed[sealed.length - 1] ^= 1;
    String tampered = java.util.Base64.getEncoder().encodeToString(sealed);
    assertThatThrownBy(() -> box.open(tampered, "p")).isInstanceOf(SecretBoxException.class);
  }

  @Test
  void keyFileIsCreatedOwnerOnlyAndReadBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys/master.key");
    MasterKey created = MasterKey.loadOrCreate(Optional.empty(), file, random);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(MasterKey.loadOrCreate(Optional.empty(), file, random)).isEqualTo(created);
    MasterKey fromEnv = MasterKey.generate(random);
    assertThat(MasterKey.loadOrCreate(Optional.of(fromEnv.toBase64()), file, random)).isEqualTo(fromEnv);
    assertThat(created.toString()).doesNotContain(created.toBase64());
  }

  @Test
  void malformedKeyIsRejectedWithoutEchoingIt() {
    assertThatThrownBy(() -> MasterKey.fromBase64("c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
