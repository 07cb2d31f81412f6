package dev.canopy.deploy.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.canopy.api.auth.Credential;
import dev.canopy.core.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files a cloud keeps in its data folder for people and scripts: where it listens
 * ({@code endpoints.json}), the administrator's key ({@code admin/credentials}), the first
 * tenant's AWS CLI profile ({@code aws/credentials}, {@code aws/config}) and the cloud CA's
 * certificate ({@code ca.pem}). Files holding secrets are mode 0600.
 */
public final class CloudFiles {

  public static final String ADMIN_PROFILE = "canopy-admin";
  public static final String TENANT_PROFILE = "canopy";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path data;

  public CloudFiles(Path data) {
    this.data = data;
  }

  public Path endpoints() {
    return data.resolve("endpoints.json");
  }

  public Path adminCredentials() {
    return data.resolve("admin/credentials");
  }

  public Path awsCredentials() {
    return data.resolve("aws/credentials");
  }

  /** The cloud CA's certificate (public): what browsers, curl and the CLI trust the HTTPS console by. */
  public Path caCertificate() {
    return data.resolve("ca.pem");
  }

  public void writeCaCertificate(String pem) throws IOException {
    DurableFiles.write(caCertificate(), pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  public Path awsConfig() {
    return data.resolve("aws/config");
  }

  /** Written atomically (temp file, rename), so a reader never sees half a file. */
  public void writeEndpoints(Map<String, String> endpoints) throws IOException {
    DurableFiles.write(endpoints(), JSON.writeValueAsBytes(new LinkedHashMap<>(endpoints)));
  }

  @SuppressWarnings("unchecked")
  public Optional<Map<String, String>> readEndpoints() throws IOException {
    if (!Files.exists(endpoints())) {
      return Optional.empty();
    }
    return Optional.of(JSON.readValue(endpoints().toFile(), Map.class));
  }

  public void deleteEndpoints() throws IOException {
    Files.deleteIfExists(endpoints());
  }

  /** At a stop: removes {@code endpoints.json}, so scripts see the process is gone; a failure is only logged. */
  public void withdrawEndpoints() {
    try {
      deleteEndpoints();
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(CloudFiles.class).warn("could not remove {}: {}", endpoints(), e.toString());
    }
  }

  public void writeAdminCredentials(Credential admin) throws IOException {
    DurableFiles.writeOwnerOnly(adminCredentials(), profile(ADMIN_PROFILE, admin));
  }

  public void writeTenantProfile(Credential tenant, String region) throws IOException {
    DurableFiles.writeOwnerOnly(awsCredentials(), profile(TENANT_PROFILE, tenant));
    DurableFiles.writeOwnerOnly(
        awsConfig(),
        "[profile " + TENANT_PROFILE + "]\n"
            + "region = " + region + "\n"
            + "s3 =\n"
            + "    addressing_style = path\n");
  }

  /** Reads one profile's key pair from an AWS shared-credentials file. */
  public static Optional<Credential> readProfile(Path file, String profile, String accountId) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String section = null;
    String keyId = null;
    String secret = null;
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
      } else if (profile.equals(section) && line.contains("=")) {
        String name = line.substring(0, line.indexOf('=')).strip();
        String value = line.substring(line.indexOf('=') + 1).strip();
        if (name.equals("aws_access_key_id")) {
          keyId = value;
        } else if (name.equals("aws_secret_access_key")) {
          secret = value;
        }
      }
    }
    return keyId == null || secret == null ? Optional.empty() : Optional.of(new Credential(keyId, secret, accountId));
  }

  private static String profile(String name, Credential credential) {
    return "[" + name + "]\n"
        + "aws_access_key_id = " + credential.accessKeyId() + "\n"
        + "aws_secret_access_key = " + credential.secretAccessKey() + "\n";
  }
}
