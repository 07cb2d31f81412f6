package dev.canopy.cloud.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.cloud.agents.EnrollmentTokens.Outcome;
import dev.canopy.cloud.ca.MutableClock;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.node.protocol.EnrollmentToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EnrollmentTokensTest {

  private static final String CA = "ab".repeat(32);
  private final InMemoryTable<TokenRecord> table = new InMemoryTable<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final EnrollmentTokens tokens = new EnrollmentTokens(table, clock, new SecureRandom(), CA);

  @Test
  void embedsTheCaFingerprintAndStoresOnlyAHash() {
    String text = tokens.create(Duration.ofHours(1));
    EnrollmentToken token = EnrollmentToken.parse(text).orElseThrow();
    assertThat(text).startsWith("canopy1.");
    assertThat(token.caSha256()).isEqualTo(CA);
    TokenRecord stored = table.get(token.id()).orElseThrow();
    assertThat(stored.secretSha256()).doesNotContain(token.secret()).matches("[0-9a-f]{64}");
    assertThat(stored.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
  }

  @Test
  void worksOnceThenIsReused() {
    String text = tokens.create(Duration.ofHours(1));
    assertThat(tokens.redeem(text).outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(tokens.redeem(text).outcome()).isEqualTo(Outcome.REUSED);
  }

  @Test
  void expires() {
    String text = tokens.create(Duration.ofMinutes(10));
    clock.advance(Duration.ofMinutes(10));
    assertThat(tokens.redeem(text).outcome()).isEqualTo(Outcome.EXPIRED);
  }

  @Test
  void aWrongSecretOrJunkIsRefused() {
    EnrollmentToken token = EnrollmentToken.parse(tokens.create(Duration.ofHours(1))).orElseThrow();
    String guessed = new EnrollmentToken(token.id(), "x".repeat(43), CA).format();
    assertThat(tokens.redeem(guessed).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(tokens.redeem("canopy1.nope").outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(tokens.redeem(null).outcome()).isEqualTo(Outcome.MALFORMED);
    // The guess did not burn the real token.
    assertThat(tokens.redeem(token.format()).outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void refusesSillyLifetimes() {
    assertThatThrownBy(() -> tokens.create(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.create(Duration.ofDays(8))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exactlyOneOfManyConcurrentRedemptionsWins() throws Exception {
    for (int round = 0; round < 20; round++) {
      String text = tokens.create(Duration.ofHours(1));
      int threads = 16;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Outcome>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return tokens.redeem(text).outcome();
        }));
      }
      go.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> result : results) {
        outcomes.add(result.get());
      }
      pool.shutdown();
      assertThat(outcomes).filteredOn(o -> o == Outcome.ACCEPTED).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o == Outcome.REUSED).hasSize(threads - 1);
    }
  }

  @Test
  void purgesLongExpiredTokens() {
    tokens.create(Duration.ofMinutes(1));
    clock.advance(Duration.ofDays(2));
    tokens.create(Duration.ofMinutes(1));
    assertThat(tokens.purgeExpired(Duration.ofDays(1))).isEqualTo(1);
    assertThat(table.size()).isEqualTo(1);
  }
}
