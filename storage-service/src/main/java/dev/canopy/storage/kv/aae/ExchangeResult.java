package dev.canopy.storage.kv.aae;

import java.util.List;

/**
 * What an exchange found, and what it cost in data asked of the remote side.
 *
 * @param differences the keys the two sides disagree on, at most the exchange's limit
 * @param complete false when the limit stopped the exchange before every differing segment was
 *     listed (repair these, then exchange again)
 * @param levelHashesReceived inner-node and segment hashes the remote side sent
 * @param keyHashesReceived (key, object hash) pairs the remote side sent
 * @param requests calls made to the remote side
 */
public record ExchangeResult(
    List<KeyDifference> differences, boolean complete, long levelHashesReceived, long keyHashesReceived, int requests) {

  public ExchangeResult {
    differences = List.copyOf(differences);
  }
}
