/**
 * Benchmarks of the controllers' records on the replicated store (JMH, run by {@code
 * JMH_MODULE=storage-service bench/jmh.sh 'internal.bench'}): a superseding write against the
 * read-then-write it replaced, on three storage nodes over the real peer transport. Figures and how
 * to re-run them are in docs/benchmarks.md, "Controllers' record writes on three storage nodes".
 */
package dev.canopy.storage.internal.bench;
