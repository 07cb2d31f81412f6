package dev.canopy.api.http;

import java.util.HashMap;
import java.util.Map;

/**
 * The open connections of one listener, in total and per client address: the admission rule of
 * {@link ConnectionGuard} without any network type. The map holds only addresses with an open
 * connection, so it never has more than {@code connectionsMax} entries. Thread-safe.
 */
final class ConnectionCounts {

  /** Why a connection was or was not admitted. */
  enum Admission {
    ADMITTED,
    LISTENER_FULL,
    ADDRESS_FULL
  }

  private final int connectionsMax;
  private final int connectionsPerAddressMax;
  private final Map<String, Integer> byAddress = new HashMap<>();
  private int open;

  ConnectionCounts(int connectionsMax, int connectionsPerAddressMax) {
    this.connectionsMax = connectionsMax;
    this.connectionsPerAddressMax = connectionsPerAddressMax;
  }

  /** Counts the connection when it fits under both caps; a refused one is not counted. */
  synchronized Admission admit(String address) {
    if (open >= connectionsMax) {
      return Admission.LISTENER_FULL;
    }
    int fromAddress = byAddress.getOrDefault(address, 0);
    if (fromAddress >= connectionsPerAddressMax) {
      return Admission.ADDRESS_FULL;
    }
    byAddress.put(address, fromAddress + 1);
    open++;
    return Admission.ADMITTED;
  }

  /** Forgets one admitted connection from {@code address}. */
  synchronized void release(String address) {
    Integer fromAddress = byAddress.get(address);
    if (fromAddress == null) {
      // Releasing what was never admitted would let the counts drift below the truth.
      throw new IllegalStateException("no open connection from " + address + " to release");
    }
    if (fromAddress == 1) {
      byAddress.remove(address);
    } else {
      byAddress.put(address, fromAddress - 1);
    }
    open--;
  }

  synchronized int open() {
    return open;
  }

  synchronized int openFrom(String address) {
    return byAddress.getOrDefault(address, 0);
  }

  synchronized int addresses() {
    return byAddress.size();
  }
}
