package dev.canopy.storage.kv.aae;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Two replicas' records of one partition made from a seed: the same random keys and object hashes
 * on both, then a number of divergences of every kind, remembered as the differences an exchange
 * must report from replica a's side.
 */
final class Replicas {

  final Map<ByteBuffer, Long> a = new LinkedHashMap<>();
  final Map<ByteBuffer, Long> b = new LinkedHashMap<>();
  final Set<KeyDifference> expected = new HashSet<>();

  private Replicas() {}

  static Replicas diverged(long seed, int keyCount, int divergences) {
    SplittableRandom random = new SplittableRandom(seed);
    Replicas replicas = new Replicas();
    while (replicas.a.size() < keyCount) {
      ByteBuffer key = randomKey(random);
      long hash = random.nextLong();
      replicas.a.put(key, hash);
      replicas.b.put(key, hash);
    }
    List<ByteBuffer> keys = new ArrayList<>(replicas.a.keySet());
    Set<ByteBuffer> touched = new HashSet<>();
    while (replicas.expected.size() < divergences) {
      int kind = keys.isEmpty() ? 0 : random.nextInt(4);
      ByteBuffer key = kind == 0 ? randomKey(random) : keys.get(random.nextInt(keys.size()));
      if (!touched.add(key) || (kind == 0 && replicas.a.containsKey(key))) {
        continue;
      }
      switch (kind) {
        case 0 -> { // a write only b received
          replicas.b.put(key, random.nextLong());
          replicas.expected.add(new KeyDifference(KeyBytes.of(bytes(key)), KeyDifference.Kind.MISSING_LOCALLY));
        }
        case 1 -> { // a delete only b saw
          replicas.b.remove(key);
          replicas.expected.add(new KeyDifference(KeyBytes.of(bytes(key)), KeyDifference.Kind.MISSING_REMOTELY));
        }
        case 2 -> { // a delete only a saw
          replicas.a.remove(key);
          replicas.expected.add(new KeyDifference(KeyBytes.of(bytes(key)), KeyDifference.Kind.MISSING_LOCALLY));
        }
        default -> { // an overwrite only b received
          replicas.b.put(key, replicas.b.get(key) + 1 + random.nextInt(1000));
          replicas.expected.add(new KeyDifference(KeyBytes.of(bytes(key)), KeyDifference.Kind.DIFFERENT));
        }
      }
    }
    return replicas;
  }

  static HashTree tree(TreeShape shape, Map<ByteBuffer, Long> records) {
    HashTree tree = new HashTree(shape);
    records.forEach((key, hash) -> tree.insert(bytes(key), hash));
    return tree;
  }

  static ByteBuffer randomKey(SplittableRandom random) {
    byte[] key = new byte[1 + random.nextInt(24)];
    random.nextBytes(key);
    return ByteBuffer.wrap(key);
  }

  static byte[] bytes(ByteBuffer key) {
    byte[] out = new byte[key.remaining()];
    key.duplicate().get(out);
    return out;
  }
}
