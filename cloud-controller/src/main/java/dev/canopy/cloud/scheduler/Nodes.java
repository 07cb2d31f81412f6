package dev.canopy.cloud.scheduler;

import java.util.List;

/** The enrolled nodes, from the transport's node registry (adapted by the assembly). */
@FunctionalInterface
public interface Nodes {

  /** Every enrolled node, available or not. */
  List<NodeInfo> list();
}
