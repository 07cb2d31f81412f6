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

class TaggingTest {

  private static final String A = "111111111111";
  private static final String KEY = "key-0123456789abcdef0";
  private static final String SG = "sg-0123456789abcdef0";
  private final GridTagStore store = new GridTagStore(new InMemoryTable<>());
  private final Tagging tagging = new Tagging(store, new TaggableResources()
      .register("key", "key-pair", "InvalidKeyPair.NotFound", (account, id) -> account.equals(A) && id.equals(KEY))
      .register("sg", "security-group", "InvalidGroup.NotFound", (account, id) -> account.equals(A) && Set.of(SG).contains(id)));

  @Test
  void tagsRoundTripPerAccountAndResource() {
    tagging.create(A, List.of(KEY, SG), Map.of("Name", "x", "empty", ""));
    tagging.create(A, List.of(KEY), Map.of("Name", "y"));
    assertThat(store.tagsOf(A, KEY)).containsExactly(Map.entry("Name", "y"), Map.entry("empty", ""));
    assertThat(tagging.all(A)).extracting(Tag::resourceId, Tag::resourceType, Tag::key)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(KEY, "key-pair", "Name"), org.assertj.core.groups.Tuple.tuple(KEY, "key-pair", "empty"),
            org.assertj.core.groups.Tuple.tuple(SG, "security-group", "Name"), org.assertj.core.groups.Tuple.tuple(SG, "security-group", "empty"));
    assertThat(tagging.all("222222222222")).isEmpty();
    // A value that does not match leaves the tag; no value deletes it whatever it is.
    tagging.delete(A, List.of(KEY), List.of(new Tagging.KeyMatch("Name", Optional.of("x")), new Tagging.KeyMatch("empty", Optional.empty())));
    assertThat(store.tagsOf(A, KEY)).containsOnlyKeys("Name");
    tagging.delete(A, List.of(SG), List.of());
    assertThat(store.tagsOf(A, SG)).isEmpty();
  }

  @Test
  void unknownOrInvisibleResourcesChangeNothing() {
    assertCode(() -> tagging.create(A, List.of(KEY, "i-0123456789abcdef0"), Map.of("a", "b")), "InvalidID");
    assertCode(() -> tagging.create(A, List.of(KEY, "garbage"), Map.of("a", "b")), "InvalidID");
    assertCode(() -> tagging.create(A, List.of(KEY, "sg-00000000000000000"), Map.of("a", "b")), "InvalidGroup.NotFound");
    assertCode(() -> tagging.create("222222222222", List.of(KEY), Map.of("a", "b")), "InvalidKeyPair.NotFound");
    assertCode(() -> tagging.delete("222222222222", List.of(KEY), List.of()), "InvalidKeyPair.NotFound");
    assertCode(() -> tagging.create(A, List.of(), Map.of("a", "b")), "MissingParameter");
    assertThat(store.tagsOf(A, KEY)).isEmpty();
  }

  @Test
  void awsLimitsAreEnforced() {
    assertCode(() -> tagging.create(A, List.of(KEY), Map.of("aws:owner", "x")), "InvalidParameterValue");
    assertCode(() -> tagging.create(A, List.of(KEY), Map.of("AWS:owner", "x")), "InvalidParameterValue");
    assertCode(() -> tagging.create(A, List.of(KEY), Map.of("", "x")), "InvalidParameterValue");
    assertCode(() -> tagging.create(A, List.of(KEY), Map.of("k".repeat(129), "x")), "InvalidParameterValue");
    assertCode(() -> tagging.create(A, List.of(KEY), Map.of("k", "v".repeat(257))), "InvalidParameterValue");
    tagging.create(A, List.of(KEY), Map.of("k".repeat(128), "v".repeat(256)));
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 49; i++) {
      many.put("t" + i, "v");
    }
    tagging.create(A, List.of(KEY), many);
    assertThat(store.tagsOf(A, KEY)).hasSize(50);
    // Overwriting keeps the count; one more key is over the limit.
    tagging.create(A, List.of(KEY), Map.of("t1", "w"));
    assertCode(() -> tagging.create(A, List.of(KEY), Map.of("t50", "v")), "TagLimitExceeded");
    assertThat(store.tagsOf(A, KEY)).hasSize(50).containsEntry("t1", "w");
  }

  @Test
  void concurrentTaggingLosesNoTag() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 40; t++) {
        String key = "k" + t;
        done.add(pool.submit(() -> tagging.create(A, List.of(KEY), Map.of(key, "v"))));
      }
      for (var f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.tagsOf(A, KEY)).hasSize(40);
  }

  private static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
