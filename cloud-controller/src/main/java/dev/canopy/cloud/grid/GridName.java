package dev.canopy.cloud.grid;

import dev.canopy.cloud.crypto.MasterKey;
import java.util.HexFormat;

/**
 * The grid's cluster name, derived from the master key. Hazelcast members of one cluster need only
 * its name to talk to each other, so the name is a secret: every controller of a cloud computes the
 * same one from the key it already holds, and no certificate, file, endpoint or log line carries it
 * (the cloud's public name, in its CA certificate, is another string).
 */
public final class GridName {

  private static final String PURPOSE = "canopy grid cluster name v1";
  private static final String PREFIX = "canopy-grid-";

  private GridName() {}

  public static String of(MasterKey masterKey) {
    return PREFIX + HexFormat.of().formatHex(masterKey.derive(PURPOSE));
  }
}
