/**
 * Benchmarks of the controllers' client of the storage role's internal KV endpoint (JMH, run by
 * {@code JMH_MODULE=cloud-controller bench/jmh.sh 'storeclient.bench'}): a batch read against the
 * per-key loop it replaced, over real mutual TLS on loopback. Figures and how to re-run them are in
 * docs/benchmarks.md, "Batch reads on the internal KV endpoint".
 */
package dev.canopy.cloud.storeclient.bench;
