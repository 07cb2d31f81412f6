package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.RingView;

/** A node's ring as JSON, the body of {@code GET /canopy/ring}, for other endpoints that show it. */
public final class RingJson {

  private RingJson() {}

  public static String render(RingView view) {
    return RingResource.render(view);
  }
}
