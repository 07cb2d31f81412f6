package dev.canopy.storage.kv.causality;

/**
 * One write event: the actor that coordinated it (a vnode incarnation) and that actor's counter
 * for it. A dot names exactly one value, forever: no actor issues a counter twice.
 */
public record Dot(long actor, long counter) implements Comparable<Dot> {

  public Dot {
    if (counter < 1) {
      throw new IllegalArgumentException("a dot's counter starts at 1: " + counter);
    }
  }

  @Override
  public int compareTo(Dot o) {
    int byActor = Long.compare(actor, o.actor);
    return byActor != 0 ? byActor : Long.compare(counter, o.counter);
  }
}
