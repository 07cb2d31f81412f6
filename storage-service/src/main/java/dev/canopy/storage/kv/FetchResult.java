package dev.canopy.storage.kv;

import java.util.List;

/**
 * What a read returns: the live values (one, or siblings) and the opaque causal context a client
 * hands back with its next write ({@code X-Riak-Vclock} on the HTTP interface). No live values
 * means the key is missing; the context is still returned when tombstones were found, so a write
 * after a delete descends from it.
 */
public record FetchResult(List<Content> siblings, byte[] context) {

  public FetchResult {
    siblings = List.copyOf(siblings);
    context = context == null ? new byte[0] : context;
  }

  public boolean found() {
    return !siblings.isEmpty();
  }

  public boolean hasSiblings() {
    return siblings.size() > 1;
  }
}
