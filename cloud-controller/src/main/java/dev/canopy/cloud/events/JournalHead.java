package dev.canopy.cloud.events;

/**
 * Where the log starts and ends: {@code first} is the oldest sequence still kept, {@code next} a
 * hint of the next free one (every sequence below it is taken; appenders walk on from it, so a
 * stale hint costs a few reads, never a gap or an overwrite).
 */
public record JournalHead(long first, long next) {

  static final JournalHead EMPTY = new JournalHead(1, 1);
}
