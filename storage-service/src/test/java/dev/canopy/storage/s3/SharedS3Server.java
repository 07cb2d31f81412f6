package dev.canopy.storage.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One {@link S3TestServer} for all the tests of a class, in a temporary directory: started before
 * the first test, closed and deleted after the last.
 *
 * <pre>{@code @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket("photos");}</pre>
 */
final class SharedS3Server implements BeforeAllCallback, AfterAllCallback {

  private final String bucket;
  private Path dir;
  private S3TestServer server;
  private SignedHttp http;

  private SharedS3Server(String bucket) {
    this.bucket = bucket;
  }

  /** A server on which Alice owns {@code bucket}. */
  static SharedS3Server withBucket(String bucket) {
    return new SharedS3Server(bucket);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("canopy-s3-test");
    server = S3TestServer.withBucket(dir, bucket);
    http = new SignedHttp(server.endpoint(), S3TestServer.ALICE);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      server.close();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  S3TestServer server() {
    return server;
  }

  /** Alice's path-style SDK client. */
  S3Client alice() {
    return server.alice;
  }

  /** Alice's signed raw HTTP. */
  SignedHttp http() {
    return http;
  }
}
