package dev.canopy.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * One {@code canopy dev} for all the tests of a class, in a fresh folder: started before the first
 * test; after the last, checked to have logged no ERROR, stopped and its folder deleted.
 *
 * <pre>{@code @RegisterExtension static final SharedDevCloud cloud = new SharedDevCloud();}</pre>
 */
final class SharedDevCloud implements BeforeAllCallback, AfterAllCallback {

  private Path dir;
  private CanopyProcess canopy;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("canopy-it-" + context.getRequiredTestClass().getSimpleName());
    canopy = CanopyProcess.start(dir.resolve("data"));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      assertThat(canopy.log()).doesNotContain(" ERROR ");
    } finally {
      canopy.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  CanopyProcess process() {
    return canopy;
  }

  StaticCredentialsProvider tenant() throws Exception {
    return TenantClients.tenant(canopy);
  }
}
