package dev.canopy.deploy.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.deploy.process.CloudFiles;
import dev.canopy.deploy.it.CanopyProcess;
import dev.canopy.deploy.it.fuzz.AnswerChecks.Api;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of validly signed, malformed requests per API against a real {@code canopy dev}:
 * every answer must be an AWS (or admin) error or a success, never a 5xx other than AWS's
 * retryable 503s, never a hang, never a stack trace; and the process must serve normal requests
 * afterwards. Seeded: a failure prints the seed, and {@code -Dcanopy.fuzz.seed=N} replays it
 * ({@code -Dcanopy.fuzz.requests=N} changes how many requests each API gets).
 */
class FuzzIT {

  /** The seed CI runs; any other is a replay or an exploration. */
  private static final long SEED_DEFAULT = 20_240_516L;
  private static final int REQUESTS_PER_API_DEFAULT = 3_000;
  /** A hang is an answer later than this (every normal answer takes milliseconds). */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
  /** Each API stops early past this, so the test stays within its time on a slow machine. */
  private static final Duration API_BUDGET = Duration.ofSeconds(30);
  private static final int FAILURES_SHOWN_MAX = 20;
  /** Every problem of the last run, one per entry, for the reader of a failed CI run. */
  private static final Path PROBLEMS_FILE = Path.of("target/fuzz-problems.txt").toAbsolutePath();

  private static final String BUCKET = "fuzz";
  private static final String KEY = "seed";
  private static final String UPLOAD_KEY = "multi";

  @TempDir static Path dir;

  @Test
  void malformedSignedRequestsGetAwsErrorsAndTheProcessServesOn() throws Exception {
    long seed = Long.getLong("canopy.fuzz.seed", SEED_DEFAULT);
    int perApi = Integer.getInteger("canopy.fuzz.requests", REQUESTS_PER_API_DEFAULT);
    System.out.println("FuzzIT: seed " + seed + ", " + perApi + " requests per API");
    // The EC2 rate limit would answer most requests RequestLimitExceeded before the action ran.
    Path config = Files.writeString(dir.resolve("fuzz.yaml"), "limits:\n  requestsPerSecond: 1000000\n  requestBurst: 1000000\n");
    try (CanopyProcess canopy = CanopyProcess.start(dir.resolve("data"), Map.of(), List.of("--config", config.toString()))) {
      Credential tenant = CloudFiles.readProfile(canopy.data().resolve("aws/credentials"), CloudFiles.TENANT_PROFILE, "")
          .orElseThrow();
      Credential admin = CloudFiles.readProfile(canopy.data().resolve("admin/credentials"), CloudFiles.ADMIN_PROFILE,
          IdentityService.ADMIN_ACCOUNT_ID).orElseThrow();
      SignedSender ec2 = sender(canopy, "ec2", tenant, "ec2");
      SignedSender s3 = sender(canopy, "s3", tenant, "s3");
      SignedSender console = sender(canopy, "console", admin, "canopy");
      String uploadId = seedS3(s3);

      List<String> failures = new ArrayList<>();
      run(Api.EC2, new Ec2Fuzz(), ec2, seed, perApi, failures);
      run(Api.S3, new S3Fuzz(BUCKET, KEY, UPLOAD_KEY, uploadId), s3, seed, perApi, failures);
      run(Api.ADMIN, new AdminFuzz(), console, seed, perApi, failures);

      Files.write(PROBLEMS_FILE, failures);
      assertThat(failures.size())
          .as("fuzz seed %d found %d problems (replay with -Dit.test=FuzzIT -Dcanopy.fuzz.seed=%d; all in %s); the first:%n%s",
              seed, failures.size(), seed, PROBLEMS_FILE, String.join("\n", failures.subList(0, Math.min(failures.size(), FAILURES_SHOWN_MAX))))
          .isZero();
      assertStillServing(canopy, ec2, s3, console);
    }
  }

  private static SignedSender sender(CanopyProcess canopy, String endpoint, Credential key, String service) {
    return new SignedSender(URI.create(canopy.endpoint(endpoint)), key, canopy.region(), service, ANSWER_TIMEOUT);
  }

  /** A bucket, an object and a multipart upload with one part, so that requests reach real state. */
  private static String seedS3(SignedSender s3) throws IOException {
    expectOk(s3.send(new FuzzRequest("PUT", "/" + BUCKET, Map.of(), new byte[0])));
    expectOk(s3.send(new FuzzRequest("PUT", "/" + BUCKET + "/" + KEY, Map.of(), KEY.getBytes(StandardCharsets.UTF_8))));
    RawHttp.Answer created = expectOk(s3.send(new FuzzRequest("POST", "/" + BUCKET + "/" + UPLOAD_KEY + "?uploads", Map.of(), new byte[0])));
    Matcher id = Pattern.compile("<UploadId>([^<]+)</UploadId>").matcher(created.text());
    assertThat(id.find()).as(created.text()).isTrue();
    expectOk(s3.send(new FuzzRequest("PUT", "/" + BUCKET + "/" + UPLOAD_KEY + "?partNumber=1&uploadId=" + id.group(1), Map.of(),
        "part".getBytes(StandardCharsets.UTF_8))));
    return id.group(1);
  }

  private static void run(Api api, RequestGenerator generator, SignedSender sender, long seed, int count, List<String> failures) {
    // One stream per API, so that replaying one API's failure does not depend on the others.
    SplittableRandom random = new SplittableRandom(seed * 31 + api.ordinal());
    long startNanos = System.nanoTime();
    int sent = 0;
    int before = failures.size();
    Map<String, Integer> answers = new TreeMap<>();
    for (; sent < count; sent++) {
      if (System.nanoTime() - startNanos > API_BUDGET.toNanos()) {
        System.out.println("FuzzIT: " + api + " stopped at its time budget after " + sent + " requests");
        break;
      }
      FuzzRequest request = generator.next(random);
      Optional<String> problem;
      try {
        RawHttp.Answer answer = sender.send(request);
        answers.merge(answer.status() + " " + AnswerChecks.codeOf(answer), 1, Integer::sum);
        problem = AnswerChecks.problem(api, request, answer);
      } catch (IOException e) {
        problem = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      int index = sent;
      problem.ifPresent(p -> failures.add("[" + api + " #" + index + "] " + p + "\n    request: " + request.describe()));
    }
    System.out.printf("FuzzIT: %s: %d requests in %.1f s, %d problems; answers by status and code: %s%n",
        api, sent, (System.nanoTime() - startNanos) / 1e9, failures.size() - before, answers);
  }

  private static void assertStillServing(CanopyProcess canopy, SignedSender ec2, SignedSender s3, SignedSender console)
      throws IOException {
    assertThat(canopy.isAlive()).isTrue();
    byte[] describe = "Action=DescribeRegions&Version=2016-11-15".getBytes(StandardCharsets.UTF_8);
    assertThat(expectOk(ec2.send(new FuzzRequest("POST", "/",
        Map.of("content-type", "application/x-www-form-urlencoded; charset=utf-8"), describe))).text())
        .contains("<DescribeRegionsResponse");
    // The fuzzer may have overwritten any key: write a new one and read it back.
    byte[] after = "after the fuzz".getBytes(StandardCharsets.UTF_8);
    expectOk(s3.send(new FuzzRequest("PUT", "/" + BUCKET + "/after", Map.of(), after)));
    assertThat(expectOk(s3.send(new FuzzRequest("GET", "/" + BUCKET + "/after", Map.of(), new byte[0]))).body()).isEqualTo(after);
    assertThat(expectOk(console.send(new FuzzRequest("GET", "/admin/v1/accounts", Map.of(), new byte[0]))).text())
        .contains("\"accounts\"");
    assertThat(canopy.log()).doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError");
  }

  private static RawHttp.Answer expectOk(RawHttp.Answer answer) {
    assertThat(answer.status()).as(answer.text()).isBetween(200, 299);
    return answer;
  }
}
