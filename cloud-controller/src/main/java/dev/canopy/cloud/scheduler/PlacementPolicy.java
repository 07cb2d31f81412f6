package dev.canopy.cloud.scheduler;

/** How placement weighs the nodes that pass the filters. */
public enum PlacementPolicy {
  /** Most free capacity first: spreads load and failures (the default). */
  SPREAD,
  /** Least free capacity first: fills nodes so others stay empty (for power or maintenance). */
  PACK
}
