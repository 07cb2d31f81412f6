package dev.canopy.storage.kv.causality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.storage.kv.Content;
import dev.canopy.storage.kv.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dotted version vectors under random histories of writes (with and without contexts) and
 * syncs between three replicas: merge laws, and no write lost unless a later write saw it.
 */
class CausalObjectTest {

  private static final int SEEDS = 500;

  static Content value(String text) {
    return Content.of(text.getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  static String text(Content c) {
    return new String(c.value(), StandardCharsets.UTF_8);
  }

  /** Three replicas, clients that read and write through them, and what each write saw. */
  static final class History {
    final SplittableRandom random;
    final CausalObject[] replicas = {CausalObject.EMPTY, CausalObject.EMPTY, CausalObject.EMPTY};
    final long[] counters = new long[3];
    final List<CausalObject> states = new ArrayList<>();
    final Map<String, Set<String>> ancestors = new HashMap<>();
    int writes;

    History(long seed) {
      random = new SplittableRandom(seed);
    }

    void run(int steps) {
      for (int step = 0; step < steps; step++) {
        int i = random.nextInt(3);
        int roll = random.nextInt(10);
        if (roll < 5) {
          CausalObject read = replicas[random.nextInt(3)];
          boolean blind = roll == 0;
          write(i, blind ? CausalObject.EMPTY : read, random.nextInt(6) == 0);
        } else {
          int j = random.nextInt(3);
          replicas[i] = replicas[i].merge(replicas[j]);
        }
        states.add(replicas[i]);
      }
    }

    void write(int i, CausalObject read, boolean delete) {
      String id = "w" + writes++;
      Set<String> saw = new HashSet<>();
      for (Sibling s : read.siblings()) {
        String seen = text(s.content());
        saw.add(seen);
        saw.addAll(ancestors.get(seen));
      }
      ancestors.put(id, saw);
      Content c = value(id);
      if (delete) {
        c = new Content(c.value(), c.contentType(), null, null, "", 0, true);
      }
      replicas[i] = replicas[i].update(read.clock(), new Dot(i + 1, ++counters[i]), c);
    }
  }

  @Test
  void mergeIsCommutativeAssociativeAndIdempotent() {
    for (long seed = 0; seed < SEEDS; seed++) {
      History h = new History(seed);
      h.run(40);
      List<CausalObject> s = h.states;
      for (int t = 0; t < 20; t++) {
        CausalObject a = s.get(h.random.nextInt(s.size()));
        CausalObject b = s.get(h.random.nextInt(s.size()));
        CausalObject c = s.get(h.random.nextInt(s.size()));
        assertThat(a.merge(b)).as("seed %d", seed).isEqualTo(b.merge(a));
        assertThat(a.merge(b).merge(c)).as("seed %d", seed).isEqualTo(a.merge(b.merge(c)));
        assertThat(a.merge(a)).as("seed %d", seed).isEqualTo(a);
        assertThat(a.merge(b).descends(a)).isTrue();
      }
    }
  }

  @Test
  void aWriteCarryingItsContextNeverLosesAConcurrentWrite() {
    for (long seed = 0; seed < SEEDS; seed++) {
      History h = new History(seed);
      h.run(60);
      CausalObject all = h.replicas[0].merge(h.replicas[1]).merge(h.replicas[2]);
      Set<String> superseded = new HashSet<>();
      h.ancestors.values().forEach(superseded::addAll);
      Set<String> present = new HashSet<>();
      all.siblings().forEach(s -> present.add(text(s.content())));
      for (String w : h.ancestors.keySet()) {
        if (!superseded.contains(w)) {
          assertThat(present).as("seed %d: %s was replaced by no write", seed, w).contains(w);
        } else {
          assertThat(present).as("seed %d: %s was replaced", seed, w).doesNotContain(w);
        }
      }
    }
  }

  @Test
  void anUpdateReplacesExactlyWhatTheContextSaw() {
    Dot a1 = new Dot(1, 1);
    CausalObject one = CausalObject.EMPTY.update(VersionVector.EMPTY, a1, value("x"));
    CausalObject concurrent = CausalObject.EMPTY.update(VersionVector.EMPTY, new Dot(2, 1), value("y"));
    CausalObject both = one.merge(concurrent);
    assertThat(both.live()).extracting(CausalObjectTest::text).containsExactly("x", "y");

    CausalObject replaced = both.update(one.clock(), new Dot(1, 2), value("z"));
    assertThat(replaced.live()).extracting(CausalObjectTest::text).containsExactlyInAnyOrder("y", "z");
    CausalObject resolved = replaced.update(replaced.clock(), new Dot(1, 3), value("r"));
    assertThat(resolved.live()).extracting(CausalObjectTest::text).containsExactly("r");
    assertThat(resolved.merge(both)).isEqualTo(resolved);
    assertThat(resolved.descends(both)).isTrue();
    assertThat(both.descends(resolved)).isFalse();
    assertThatThrownBy(() -> resolved.update(VersionVector.EMPTY, a1, value("again")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lastWriteWinsPicksTheNewestThenTheVtagAndKeepsTheClock() {
    Content older = new Content(new byte[] {1}, null, null, null, "b", 100, false);
    Content newer = new Content(new byte[] {2}, null, null, null, "a", 200, false);
    Content tie = new Content(new byte[] {3}, null, null, null, "c", 200, false);
    CausalObject o = CausalObject.EMPTY.update(VersionVector.EMPTY, new Dot(1, 1), older)
        .merge(CausalObject.EMPTY.update(VersionVector.EMPTY, new Dot(2, 1), newer));
    assertThat(o.lastWriteWins().live()).extracting(Content::vtag).containsExactly("a");
    CausalObject three = o.merge(CausalObject.EMPTY.update(VersionVector.EMPTY, new Dot(3, 1), tie));
    assertThat(three.lastWriteWins().live()).extracting(Content::vtag).containsExactly("c");
    assertThat(three.lastWriteWins().clock()).isEqualTo(three.clock());
  }

  @Test
  void tombstonesHideTheKeyButKeepTheClock() {
    CausalObject x = CausalObject.EMPTY.update(VersionVector.EMPTY, new Dot(1, 1), value("x"));
    Content tombstone = new Content(null, null, null, null, "", 0, true);
    CausalObject deleted = x.update(x.clock(), new Dot(1, 2), tombstone);
    assertThat(deleted.isTombstone()).isTrue();
    assertThat(deleted.live()).isEmpty();
    assertThat(deleted.merge(x)).isEqualTo(deleted);
  }

  @Test
  void contextsRoundTripAndGarbageIsRefused() {
    History h = new History(7);
    h.run(50);
    VersionVector clock = h.replicas[0].merge(h.replicas[1]).clock();
    byte[] bytes = ContextCodec.encode(clock);
    assertThat(ContextCodec.decode(bytes)).isEqualTo(clock);
    assertThat(ContextCodec.decode(new byte[0])).isEqualTo(VersionVector.EMPTY);

    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) {
      byte[] mangled = bytes.clone();
      mangled[random.nextInt(mangled.length)] ^= (byte) (1 + random.nextInt(255));
      assertThatThrownBy(() -> ContextCodec.decode(mangled)).isInstanceOf(InvalidRequestException.class);
      byte[] junk = new byte[random.nextInt(64) + 1];
      random.nextBytes(junk);
      assertThatThrownBy(() -> ContextCodec.decode(junk)).isInstanceOf(InvalidRequestException.class);
    }
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
    assertThatThrownBy(() -> ContextCodec.decode(truncated)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void recordsRoundTripWithEverything() {
    Content full = new Content("v".getBytes(StandardCharsets.UTF_8), "text/plain",
        Map.of("b", "2", "a", "1"), List.of(new dev.canopy.storage.kv.Link("b", "k", "t")),
        "vt", 1234, false);
    CausalObject o = CausalObject.EMPTY.update(VersionVector.EMPTY, new Dot(9, 1), full);
    CausalObject back = CausalObjectCodec.decode(CausalObjectCodec.encode(o));
    assertThat(back).isEqualTo(o);
    Content c = back.live().get(0);
    assertThat(c.meta()).isEqualTo(Map.of("a", "1", "b", "2"));
    assertThat(c.links()).hasSize(1);
    assertThat(c.lastModifiedMillis()).isEqualTo(1234);
    assertThatThrownBy(() -> CausalObjectCodec.decode(new byte[] {1, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
