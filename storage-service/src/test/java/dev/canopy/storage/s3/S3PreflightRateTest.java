package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.time.Time;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.CORSRule;

/** Unauthenticated preflights still count, against the bucket owner's request rate. */
class S3PreflightRateTest {

  @TempDir Path dir;
  /** The request rate's clock never moves: the burst is all there is. */
  private final Time frozen = new Time() {
    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public void sleep(Duration duration) {
      throw new UnsupportedOperationException("nothing sleeps here");
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH;
    }
  };

  @Test
  void preflightsBeyondTheOwnersBurstAreSlowDown() throws Exception {
    int burst = 5;
    try (S3TestServer s3 = new S3TestServer(dir, s -> s.withAccountLimits(new S3AccountLimits(10, 8, 1, burst), frozen))) {
      s3.alice.createBucket(c -> c.bucket("site"));
      s3.alice.putBucketCors(p -> p.bucket("site").corsConfiguration(c -> c.corsRules(
          CORSRule.builder().allowedOrigins("*").allowedMethods("GET").build())));
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest preflight = HttpRequest.newBuilder(URI.create(s3.endpoint() + "/site/index.html"))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://example.com").header("Access-Control-Request-Method", "GET").build();

      HttpResponse<String> last = null;
      int answered = 0;
      for (int i = 0; i < burst; i++) {
        last = http.send(preflight, HttpResponse.BodyHandlers.ofString());
        if (last.statusCode() == 200) {
          answered++;
        }
      }
      HttpResponse<String> beyond = http.send(preflight, HttpResponse.BodyHandlers.ofString());

      // Alice's two signed calls took two tokens of the same account's burst.
      assertThat(answered).isEqualTo(burst - 2);
      assertThat(beyond.statusCode()).isEqualTo(503);
      assertThat(beyond.body()).contains("<Code>SlowDown</Code>");
    }
  }
}
