package dev.canopy.storage.kv.causality;

import dev.canopy.storage.kv.Content;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A key's replica state as a dotted version vector: the clock (everything this replica has seen)
 * and the siblings, each tagged with the dot of the write that made it. A sibling stays while no
 * write that saw it has replaced it; a tombstone is a sibling whose content is {@code deleted}.
 *
 * <p>Every sibling's dot is covered by the clock (an invariant all operations keep), which is
 * what makes {@link #merge} commutative, associative and idempotent.
 */
public final class CausalObject {

  public static final CausalObject EMPTY = new CausalObject(VersionVector.EMPTY, List.of());

  /** The order last-write-wins picks by: newest modification, then vtag, then dot. */
  static final Comparator<Sibling> WRITE_ORDER =
      Comparator.comparingLong((Sibling s) -> s.content().lastModifiedMillis())
          .thenComparing(s -> s.content().vtag())
          .thenComparing(Sibling::dot);

  private final VersionVector clock;
  private final List<Sibling> siblings;

  public CausalObject(VersionVector clock, List<Sibling> siblings) {
    List<Sibling> sorted = new ArrayList<>(siblings);
    sorted.sort(Comparator.comparing(Sibling::dot));
    for (Sibling s : sorted) {
      if (!clock.covers(s.dot())) {
        throw new IllegalArgumentException("a sibling's dot " + s.dot() + " is not in the clock");
      }
    }
    this.clock = clock;
    this.siblings = List.copyOf(sorted);
  }

  public VersionVector clock() {
    return clock;
  }

  public List<Sibling> siblings() {
    return siblings;
  }

  /**
   * A write coordinated here: {@code content} with the new {@code dot} replaces exactly the
   * siblings the client's {@code context} saw; siblings it did not see stay (concurrent). The
   * clock takes in the context, so the replaced values stay replaced wherever they still are.
   */
  public CausalObject update(VersionVector context, Dot dot, Content content) {
    if (clock.covers(dot) || context.covers(dot)) {
      throw new IllegalArgumentException("dot " + dot + " was already used");
    }
    List<Sibling> next = new ArrayList<>();
    for (Sibling s : siblings) {
      if (!context.covers(s.dot())) {
        next.add(s);
      }
    }
    next.add(new Sibling(dot, content));
    return new CausalObject(clock.merge(context).with(dot), next);
  }

  /**
   * Two replicas' states joined: a sibling survives if the other side holds it too or has not
   * seen it; one the other side has seen and dropped was replaced there, so it goes.
   */
  public CausalObject merge(CausalObject other) {
    TreeMap<Dot, Sibling> kept = new TreeMap<>();
    for (Sibling s : siblings) {
      if (!other.clock.covers(s.dot()) || other.holds(s.dot())) {
        kept.put(s.dot(), s);
      }
    }
    for (Sibling s : other.siblings) {
      if (!clock.covers(s.dot())) {
        kept.put(s.dot(), s);
      }
    }
    return new CausalObject(clock.merge(other.clock), new ArrayList<>(kept.values()));
  }

  private boolean holds(Dot dot) {
    for (Sibling s : siblings) {
      if (s.dot().equals(dot)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this state has seen everything {@code other} has. */
  public boolean descends(CausalObject other) {
    return clock.descends(other.clock);
  }

  /** The values a reader sees: siblings that are not tombstones. */
  public List<Content> live() {
    return siblings.stream().map(Sibling::content).filter(c -> !c.deleted()).toList();
  }

  /** Whether every value is a tombstone (a deleted key, still carrying its clock). */
  public boolean isTombstone() {
    return !siblings.isEmpty() && siblings.stream().allMatch(s -> s.content().deleted());
  }

  public boolean isEmpty() {
    return siblings.isEmpty() && clock.size() == 0;
  }

  /**
   * The one sibling a bucket without {@code allow_mult} keeps: the newest by modification time,
   * ties broken by vtag and then dot, so every replica picks the same. The clock is unchanged,
   * so the losers stay replaced wherever they are.
   */
  public CausalObject lastWriteWins() {
    if (siblings.size() <= 1) {
      return this;
    }
    return new CausalObject(clock, List.of(siblings.stream().max(WRITE_ORDER).orElseThrow()));
  }

  @Override
  public boolean equals(Object o) {
    // Field by field, the way the codec would tell two records apart, without encoding them: a
    // chunk's record holds a MiB, and reads compare replicas' records on every repair check.
    if (this == o) {
      return true;
    }
    if (!(o instanceof CausalObject c) || !clock.equals(c.clock) || siblings.size() != c.siblings.size()) {
      return false;
    }
    for (int i = 0; i < siblings.size(); i++) {
      Sibling a = siblings.get(i);
      Sibling b = c.siblings.get(i);
      if (!a.dot().equals(b.dot()) || !sameContent(a.content(), b.content())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameContent(Content a, Content b) {
    return a.lastModifiedMillis() == b.lastModifiedMillis()
        && a.deleted() == b.deleted()
        && a.vtag().equals(b.vtag())
        && a.contentType().equals(b.contentType())
        && a.meta().equals(b.meta())
        && a.links().equals(b.links())
        && java.util.Arrays.equals(a.value(), b.value());
  }

  @Override
  public int hashCode() {
    // Equal objects have equal clocks and dots; the values need not be hashed.
    return 31 * clock.hashCode() + siblings.stream().map(Sibling::dot).toList().hashCode();
  }

  @Override
  public String toString() {
    return "CausalObject[" + clock + ", " + siblings.stream().map(Sibling::dot).toList() + "]";
  }
}
