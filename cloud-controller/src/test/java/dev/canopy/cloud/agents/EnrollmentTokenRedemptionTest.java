package dev.canopy.cloud.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.cloud.agents.EnrollmentTokens.Outcome;
import dev.canopy.cloud.ca.MutableClock;
import dev.canopy.cloud.grid.InMemoryTable;
import dev.canopy.node.protocol.EnrollmentToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What an operator pasting a token into an agent meets at the controller: the token as issued
 * is accepted once (whitespace and case of the CA part aside), any altered part makes it
 * unknown without burning the real one, and expiry is exact.
 */
class EnrollmentTokenRedemptionTest {

  private static final String CA = "ab".repeat(32);
  private final InMemoryTable<TokenRecord> table = new InMemoryTable<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final EnrollmentTokens tokens = new EnrollmentTokens(table, clock, new SecureRandom(), CA);

  @Test
  void aTokenNamingAnotherCaIsUnknownAndDoesNotBurnTheRealOne() {
    EnrollmentToken issued = EnrollmentToken.parse(tokens.create(Duration.ofHours(1))).orElseThrow();
    String otherCa = new EnrollmentToken(issued.id(), issued.secret(), "cd".repeat(32)).format();
    assertThat(tokens.redeem(otherCa).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(tokens.redeem(issued.format()).outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void theCaPartIsMatchedWhateverItsCaseAndSurroundingWhitespaceIsIgnored() {
    String issued = tokens.create(Duration.ofHours(1));
    String upper = issued.substring(0, issued.lastIndexOf('.') + 1) + CA.toUpperCase(Locale.ROOT);
    assertThat(tokens.redeem("  " + upper + "\n").outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void anUnknownIdIsUnknownWithItsIdReported() {
    String forged = new EnrollmentToken("0".repeat(32), "s".repeat(43), CA).format();
    EnrollmentTokens.Redemption r = tokens.redeem(forged);
    assertThat(r.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(r.tokenId()).contains("0".repeat(32));
    assertThat(r.accepted()).isFalse();
  }

  @Test
  void aMalformedTokenReportsNoId() {
    for (String junk : new String[] {"", "canopy1", "canopy2.a.b.c", "canopy1." + "0".repeat(32) + ".short." + CA,
        "canopy1." + "0".repeat(32) + "." + "s".repeat(43) + ".nothex", "canopy1.." + "s".repeat(43) + "." + CA}) {
      EnrollmentTokens.Redemption r = tokens.redeem(junk);
      assertThat(r.outcome()).as(junk).isEqualTo(Outcome.MALFORMED);
      assertThat(r.tokenId()).isEmpty();
    }
  }

  @Test
  void aTokenIsAcceptedUpToItsLastMomentAndNotAtIt() {
    String early = tokens.create(Duration.ofMinutes(10));
    String late = tokens.create(Duration.ofMinutes(10));
    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(tokens.redeem(early).outcome()).isEqualTo(Outcome.ACCEPTED);
    clock.advance(Duration.ofMillis(1));
    assertThat(tokens.redeem(late).outcome()).isEqualTo(Outcome.EXPIRED);
  }

  @Test
  void anExpiredTokenStaysExpiredAndAUsedOneStaysReused() {
    String expired = tokens.create(Duration.ofMinutes(1));
    String used = tokens.create(Duration.ofMinutes(1));
    assertThat(tokens.redeem(used).outcome()).isEqualTo(Outcome.ACCEPTED);
    clock.advance(Duration.ofMinutes(2));
    assertThat(tokens.redeem(expired).outcome()).isEqualTo(Outcome.EXPIRED);
    assertThat(tokens.redeem(expired).outcome()).as("presenting it did not change it").isEqualTo(Outcome.EXPIRED);
    assertThat(tokens.redeem(used).outcome()).as("a used token says so even once expired").isEqualTo(Outcome.REUSED);
  }

  @Test
  void theLongestLifetimeIsSevenDays() {
    String week = tokens.create(EnrollmentTokens.TTL_MAX);
    clock.advance(EnrollmentTokens.TTL_MAX.minusSeconds(1));
    assertThat(tokens.redeem(week).outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void eachTokenIsDistinctAndItsSecretIsNeverStored() {
    String a = tokens.create(Duration.ofHours(1));
    String b = tokens.create(Duration.ofHours(1));
    assertThat(a).isNotEqualTo(b);
    EnrollmentToken parsed = EnrollmentToken.parse(a).orElseThrow();
    assertThat(table.values(t -> true)).noneSatisfy(t -> assertThat(t.secretSha256()).contains(parsed.secret()));
    assertThat(parsed.toString()).doesNotContain(parsed.secret());
  }
}
