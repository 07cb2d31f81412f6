package dev.canopy.storage.kv.engine;

/**
 * Which of a vnode's hash trees a key belongs to, as Riak's {@code index_n}: the partition its
 * preference list starts at ({@code home}, the key's own partition) and the number of replicas
 * of its bucket. A vnode holds the keys of several preference lists (its own partition's and
 * those of the n−1 partitions before it), and two replicas share exactly the keys of the
 * preference lists they are both in, so they compare one tree per shared preference list.
 */
record TreeId(int home, int n) {}
