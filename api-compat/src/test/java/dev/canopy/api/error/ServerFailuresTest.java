package dev.canopy.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClosedException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The one mapping from failures to AWS server errors. */
class ServerFailuresTest {

  /** Stands in for StoreException, the grid's and fencing's exceptions: modules above this one. */
  private static final class StoreDown extends RuntimeException implements Unavailable {
    StoreDown() {
      super("disk /var/lib/canopy/store is full");
    }
  }

  @Test
  void anUnavailableStoreIsServiceUnavailableInEachServicesCodes() {
    assertAnswer(S3Errors.fromFailure(new StoreDown()), 503, "ServiceUnavailable");
    assertAnswer(Ec2Errors.fromFailure(new StoreDown()), 503, "ServiceUnavailable");
    assertAnswer(ServerFailures.toAwsError(new StoreDown()), 503, "ServiceUnavailable");
  }

  @Test
  void anUnavailableCauseCountsAsDeepAsAnAdapterWrapsIt() {
    RuntimeException wrapped = new IllegalStateException("map store failed", new RuntimeException("put failed", new StoreDown()));
    assertAnswer(S3Errors.fromFailure(wrapped), 503, "ServiceUnavailable");
    assertAnswer(Ec2Errors.fromFailure(new CompletionException(wrapped)), 503, "ServiceUnavailable");
    assertThat(ServerFailures.isUnavailable(new ExecutionException(new StoreDown()))).isTrue();
  }

  @Test
  void anythingElseIsInternalError() {
    assertAnswer(S3Errors.fromFailure(new NullPointerException()), 500, "InternalError");
    assertAnswer(Ec2Errors.fromFailure(new IllegalStateException("bug")), 500, "InternalError");
    assertAnswer(ServerFailures.toAwsError(new OutOfMemoryError()), 500, "InternalError");
  }

  @Test
  void anAwsErrorIsItsOwnAnswerAlsoInsideAFuturesWrapper() {
    AwsException noSuchKey = S3Errors.noSuchKey();
    assertThat(S3Errors.fromFailure(noSuchKey)).isSameAs(noSuchKey);
    assertThat(Ec2Errors.fromFailure(new CompletionException(noSuchKey))).isSameAs(noSuchKey);
  }

  @Test
  void theAnswerNeverCarriesTheExceptionsOwnMessage() {
    assertThat(S3Errors.fromFailure(new StoreDown()).getMessage()).doesNotContain("/var/lib");
    assertThat(Ec2Errors.fromFailure(new IllegalStateException("secret path /etc/x")).getMessage()).doesNotContain("/etc/x");
  }

  @Test
  void aClientThatClosedItsConnectionIsToldApartFromAServerFailure() {
    assertThat(ServerFailures.isClientGone(new CompletionException(new HttpClosedException("Connection was closed")))).isTrue();
    assertThat(ServerFailures.isClientGone(new IllegalStateException("upload failed", new HttpClosedException("closed")))).isTrue();
    assertThat(ServerFailures.isClientGone(new StoreDown())).isFalse();
    assertThat(ServerFailures.isClientGone(new NullPointerException())).isFalse();
  }

  @Test
  void aCyclicCauseChainEnds() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertAnswer(Ec2Errors.fromFailure(a), 500, "InternalError");
  }

  private static void assertAnswer(AwsException answer, int status, String code) {
    assertThat(answer.httpStatus()).isEqualTo(status);
    assertThat(answer.code()).isEqualTo(code);
  }
}
