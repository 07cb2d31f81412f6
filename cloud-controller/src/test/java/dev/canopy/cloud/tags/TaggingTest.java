package dev.canopy.cloud.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import dev.canopy.cloud.grid.InMemoryTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * CreateTags and DeleteTags over the grid store: AWS's limits (50 tags a resource, keys of 128
 * and values of 256 Unicode characters, the reserved {@code aws:} prefix) and the rule that a
 * request which fails for one resource changes none.
 */
class TaggingTest {

  private static final String A = "111111111111";
  private static final String B = "222222222222";
  private static final String KEY = "key-0123456789abcdef0";
  private static final String GROUP = "sg-0123456789abcdef0";

  private final GridTagStore store = new GridTagStore(new InMemoryTable<>());
  private final TaggableResources resources = new TaggableResources()
      .register("key", "key-pair", "InvalidKeyPair.NotFound", (account, id) -> account.equals(A) && id.equals(KEY))
      .register("sg", "security-group", "InvalidGroup.NotFound", (account, id) -> account.equals(A) && id.equals(GROUP));
  private final Tagging tagging = new Tagging(store, resources);

  private static void assertError(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.httpStatus()).isEqualTo(400);
    });
  }

  private static Map<String, String> numbered(int from, int count) {
    Map<String, String> tags = new HashMap<>();
    for (int n = from; n < from + count; n++) {
      tags.put("k" + n, "v" + n);
    }
    return tags;
  }

  @Test
  void fiftyTagsFitAndTheFiftyFirstIsTagLimitExceeded() {
    tagging.create(A, List.of(KEY), numbered(0, 50));
    assertThat(store.tagsOf(A, KEY)).hasSize(50);
    assertError(() -> tagging.create(A, List.of(KEY), numbered(50, 1)), "TagLimitExceeded");
    // Overwriting an existing key does not add one.
    tagging.create(A, List.of(KEY), Map.of("k0", "changed"));
    assertThat(store.tagsOf(A, KEY)).hasSize(50).containsEntry("k0", "changed");
  }

  @Test
  void fiftyOneTagsInOneRequestAreRefusedAndNothingIsStored() {
    assertError(() -> tagging.create(A, List.of(KEY), numbered(0, 51)), "TagLimitExceeded");
    assertThat(store.tagsOf(A, KEY)).isEmpty();
  }

  @Test
  void theLimitFailsTheWholeRequestNotHalfOfIt() {
    tagging.create(A, List.of(GROUP), numbered(0, 49));
    // The key pair has room, the group has one slot: two new tags fail for the group, so for both.
    assertError(() -> tagging.create(A, List.of(KEY, GROUP), numbered(100, 2)), "TagLimitExceeded");
    assertThat(store.tagsOf(A, KEY)).isEmpty();
    assertThat(store.tagsOf(A, GROUP)).hasSize(49);
  }

  @Test
  void keysOf128AndValuesOf256CharactersFitOneMoreDoesNot() {
    tagging.create(A, List.of(KEY), Map.of("k".repeat(128), "v".repeat(256)));
    assertError(() -> tagging.create(A, List.of(KEY), Map.of("k".repeat(129), "v")), "InvalidParameterValue");
    assertError(() -> tagging.create(A, List.of(KEY), Map.of("k", "v".repeat(257))), "InvalidParameterValue");
    assertThat(store.tagsOf(A, KEY)).hasSize(1);
  }

  @Test
  void lengthsAreCountedInUnicodeCharactersNotUtf16Units() {
    // AWS counts characters: 128 characters outside the BMP are a valid key (256 UTF-16 units).
    String emoji = new String(Character.toChars(0x1F332));
    tagging.create(A, List.of(KEY), Map.of(emoji.repeat(128), emoji.repeat(256)));
    assertThat(store.tagsOf(A, KEY)).containsEntry(emoji.repeat(128), emoji.repeat(256));
    assertError(() -> tagging.create(A, List.of(KEY), Map.of(emoji.repeat(129), "v")), "InvalidParameterValue");
    assertError(() -> tagging.create(A, List.of(KEY), Map.of("k", emoji.repeat(257))), "InvalidParameterValue");
  }

  @Test
  void theAwsPrefixIsReservedInAnyCaseAndAnEmptyKeyIsRefused() {
    for (String key : List.of("aws:name", "AWS:Name", "Aws:x")) {
      assertError(() -> tagging.create(A, List.of(KEY), Map.of(key, "v")), "InvalidParameterValue");
    }
    assertError(() -> tagging.create(A, List.of(KEY), Map.of("", "v")), "InvalidParameterValue");
    // Only the prefix is reserved: the word elsewhere, or without its colon, is the user's.
    tagging.create(A, List.of(KEY), Map.of("awsome", "v", "my:aws:key", "v", "aws", "v"));
    assertThat(store.tagsOf(A, KEY)).containsOnlyKeys("awsome", "my:aws:key", "aws");
  }

  @Test
  void anEmptyValueIsAValue() {
    tagging.create(A, List.of(KEY), Map.of("flag", ""));
    assertThat(store.tagsOf(A, KEY)).containsEntry("flag", "");
  }

  @Test
  void anUnknownPrefixIsInvalidIdAndAnUnseenResourceItsFamilysNotFound() {
    assertError(() -> tagging.create(A, List.of("vol-0123456789abcdef0"), Map.of("k", "v")), "InvalidID");
    assertError(() -> tagging.create(A, List.of("nodash"), Map.of("k", "v")), "InvalidID");
    assertError(() -> tagging.create(A, List.of("-0123"), Map.of("k", "v")), "InvalidID");
    assertError(() -> tagging.create(A, List.of("key-00000000000000000"), Map.of("k", "v")), "InvalidKeyPair.NotFound");
    assertError(() -> tagging.create(B, List.of(GROUP), Map.of("k", "v")), "InvalidGroup.NotFound");
  }

  @Test
  void oneUnseenResourceFailsTheRequestForAll() {
    assertError(() -> tagging.create(A, List.of(KEY, "sg-00000000000000000"), Map.of("k", "v")), "InvalidGroup.NotFound");
    assertThat(store.tagsOf(A, KEY)).isEmpty();
    tagging.create(A, List.of(KEY), Map.of("k", "v"));
    assertError(() -> tagging.delete(A, List.of(KEY, "sg-00000000000000000"), List.of()), "InvalidGroup.NotFound");
    assertThat(store.tagsOf(A, KEY)).containsEntry("k", "v");
  }

  @Test
  void noResourceIdIsMissingParameterAndMoreThanAThousandIsRefused() {
    assertError(() -> tagging.create(A, List.of(), Map.of("k", "v")), "MissingParameter");
    assertError(() -> tagging.delete(A, List.of(), List.of()), "MissingParameter");
    List<String> many = java.util.Collections.nCopies(Tagging.RESOURCES_PER_REQUEST_MAX + 1, KEY);
    assertError(() -> tagging.create(A, many, Map.of("k", "v")), "InvalidParameterValue");
  }

  @Test
  void deleteWithAValueDeletesOnlyAMatchingTagAndWithoutOneWhateverTheValue() {
    tagging.create(A, List.of(KEY), Map.of("env", "prod", "team", "infra", "empty", ""));
    tagging.delete(A, List.of(KEY), List.of(new Tagging.KeyMatch("env", Optional.of("dev"))));
    assertThat(store.tagsOf(A, KEY)).containsKey("env");
    tagging.delete(A, List.of(KEY), List.of(new Tagging.KeyMatch("env", Optional.of("prod")), new Tagging.KeyMatch("team", Optional.empty())));
    assertThat(store.tagsOf(A, KEY)).containsOnlyKeys("empty");
    // An empty value matches only an empty value.
    tagging.create(A, List.of(KEY), Map.of("other", "x"));
    tagging.delete(A, List.of(KEY), List.of(new Tagging.KeyMatch("other", Optional.of("")), new Tagging.KeyMatch("empty", Optional.of(""))));
    assertThat(store.tagsOf(A, KEY)).containsOnlyKeys("other");
  }

  @Test
  void deletingAnAbsentKeyIsNotAnError() {
    tagging.create(A, List.of(KEY), Map.of("k", "v"));
    tagging.delete(A, List.of(KEY), List.of(new Tagging.KeyMatch("missing", Optional.empty())));
    assertThat(store.tagsOf(A, KEY)).containsOnlyKeys("k");
  }

  @Test
  void deleteWithNoKeysDeletesEveryTagOfTheResource() {
    tagging.create(A, List.of(KEY, GROUP), Map.of("a", "1", "b", "2"));
    tagging.delete(A, List.of(KEY), List.of());
    assertThat(store.tagsOf(A, KEY)).isEmpty();
    assertThat(store.tagsOf(A, GROUP)).hasSize(2);
  }

  @Test
  void awsKeysCannotBeDeletedEither() {
    assertError(() -> tagging.delete(A, List.of(KEY), List.of(new Tagging.KeyMatch("aws:cloudformation:stack-name", Optional.empty()))),
        "InvalidParameterValue");
  }

  @Test
  void allListsTheAccountsTagsInResourceThenKeyOrderWithTheirTypes() {
    tagging.create(A, List.of(GROUP, KEY), Map.of("b", "2", "a", "1"));
    assertThat(tagging.all(A)).extracting(t -> t.resourceId() + " " + t.resourceType() + " " + t.key()).containsExactly(
        KEY + " key-pair a", KEY + " key-pair b", GROUP + " security-group a", GROUP + " security-group b");
    assertThat(tagging.all(B)).isEmpty();
  }

  @Test
  void twoFamiliesCannotClaimOnePrefix() {
    assertThatThrownBy(() -> resources.register("sg", "other", "X.NotFound", (a, id) -> true)).isInstanceOf(IllegalStateException.class);
    assertThat(resources.kinds()).extracting(TaggableResources.Kind::resourceType).containsExactlyInAnyOrderElementsOf(Set.of("key-pair", "security-group"));
  }
}
