package dev.canopy.deploy.process;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.canopy.cloud.ca.CaRecord;
import dev.canopy.cloud.ca.CertificateAuthority;
import dev.canopy.cloud.crypto.SecretBox;
import dev.canopy.cloud.crypto.SecretBoxException;
import dev.canopy.core.time.Time;
import java.security.SecureRandom;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.core.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A cloud's identity as {@code canopy init} hands it to every process: the cloud's public name
 * and the CA (its key sealed with the master key) in {@code cloud.json}, and the master key in
 * {@code master.key} (or {@code CANOPY_MASTER_KEY}). Both files are mode 0600. Processes need the
 * CA before the grid runs: controllers and storage authenticate each other with it.
 */
public record CloudBundle(@JsonAlias("clusterName") String cloudName, CaRecord ca) {

  public static final String FILE = "cloud.json";
  public static final String KEY_FILE = "master.key";
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  public static boolean exists(Path dir) {
    return Files.exists(dir.resolve(FILE));
  }

  public void write(Path dir) throws IOException {
    DurableFiles.writeOwnerOnly(dir.resolve(FILE), JSON.writeValueAsString(this) + "\n");
  }

  /** @throws IOException saying which file is missing or unreadable */
  public static CloudBundle read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("no cloud identity at " + file + " (create one with canopy init)");
    }
    CloudBundle bundle = JSON.readValue(file.toFile(), CloudBundle.class);
    if (bundle.cloudName() == null || bundle.ca() == null) {
      throw new IOException(file + " lacks the cloud's name or the CA");
    }
    return bundle;
  }

  /** {@code CANOPY_MASTER_KEY} when set, else the bundle's key file; never creates one. */
  public static MasterKey masterKey(Path dir) throws IOException {
    Optional<String> env = Optional.ofNullable(System.getenv(MasterKey.ENV_VARIABLE)).filter(v -> !v.isBlank());
    if (env.isPresent()) {
      return MasterKey.fromBase64(env.get());
    }
    Path file = dir.resolve(KEY_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("no master key: set " + MasterKey.ENV_VARIABLE + " or provide " + file);
    }
    return MasterKey.fromBase64(Files.readString(file).strip());
  }

  /**
   * The cloud's CA, its key opened with {@code secrets}.
   *
   * @throws IllegalStateException when the master key is not this cloud's: the process must stop
   */
  public CertificateAuthority authority(SecretBox secrets, Time time, SecureRandom random) {
    try {
      return CertificateAuthority.fromRecord(ca, secrets, time, random);
    } catch (SecretBoxException e) {
      throw new IllegalStateException("the master key does not belong to this cloud (" + cloudName
          + "): its CA does not open with it; start with the cloud's own CANOPY_MASTER_KEY or identity/master.key");
    }
  }
}
