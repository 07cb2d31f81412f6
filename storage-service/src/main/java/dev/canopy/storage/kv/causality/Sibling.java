package dev.canopy.storage.kv.causality;

import dev.canopy.storage.kv.Content;

/** One value of a key with the dot of the write that made it. */
public record Sibling(Dot dot, Content content) {}
