package dev.canopy.cloud.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which lookups the grid answers through an account-joined index ({@link AccountJoinedExtractor}):
 * one account and the other attribute, whatever else is asked; never several accounts, nor a
 * lookup without the other attribute. {@code compute.GridIndexesTest} checks the answers against
 * a scan on a real member.
 */
class AccountJoinedConditionsTest {

  private static final IndexCondition OWNER = new IndexCondition(IndexedAttributes.OWNER_ID, Set.of("111111111111"));
  private static final IndexCondition STOPPED_OR_STOPPING = new IndexCondition(IndexedAttributes.STATE, Set.of("STOPPED", "STOPPING"));
  private static final IndexCondition IMAGE = new IndexCondition(IndexedAttributes.IMAGE_ID, Set.of("ami-0000000000000000a"));

  @Test
  void anOwnerAndStatesBecomeOneConditionPerStateOnTheJoinedIndexAndTheRestStays() {
    List<IndexCondition> rewritten = GridIndexes.withAccountJoined(IndexedAttributes.INSTANCES_MAP, List.of(IMAGE, OWNER, STOPPED_OR_STOPPING));

    assertThat(rewritten).containsExactly(
        new IndexCondition(IndexedAttributes.OWNER_STATE, Set.of("111111111111/STOPPED", "111111111111/STOPPING")), IMAGE);
  }

  @Test
  void anAccountAndATagKeyBecomeOneConditionOnTheJoinedIndex() {
    List<IndexCondition> rewritten = GridIndexes.withAccountJoined(IndexedAttributes.TAGS_MAP, List.of(
        new IndexCondition(IndexedAttributes.ACCOUNT_ID, Set.of("222222222222")), new IndexCondition(IndexedAttributes.TAG_KEYS, Set.of("tier"))));

    assertThat(rewritten).containsExactly(new IndexCondition(IndexedAttributes.ACCOUNT_TAG_KEYS, Set.of("222222222222/tier")));
  }

  @Test
  void lookupsWithoutOneAccountOrWithoutTheOtherAttributeAreLeftAsAsked() {
    IndexCondition twoOwners = new IndexCondition(IndexedAttributes.OWNER_ID, Set.of("111111111111", "222222222222"));

    assertThat(GridIndexes.withAccountJoined(IndexedAttributes.INSTANCES_MAP, List.of(twoOwners, STOPPED_OR_STOPPING)))
        .containsExactly(twoOwners, STOPPED_OR_STOPPING);
    assertThat(GridIndexes.withAccountJoined(IndexedAttributes.INSTANCES_MAP, List.of(OWNER, IMAGE))).containsExactly(OWNER, IMAGE);
    assertThat(GridIndexes.withAccountJoined("security-groups", List.of(OWNER, STOPPED_OR_STOPPING))).containsExactly(OWNER, STOPPED_OR_STOPPING);
  }
}
