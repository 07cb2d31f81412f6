/**
 * One {@link dev.canopy.core.time.Time}: monotonic nanos, the wall clock and sleeping, injected
 * everywhere. {@link dev.canopy.core.time.SystemTime} is the only production class that reads the
 * JVM's clocks or sleeps (the architecture test checks it); tests use the manual {@code Time} in
 * this module's test jar. On top of it: {@link dev.canopy.core.time.Deadline} (a bound from now),
 * {@link dev.canopy.core.time.Waiting} (polling a condition, bounded in time and in polls) and
 * {@link dev.canopy.core.time.Futures} (a bounded wait on a future that unwraps its failure).
 */
package dev.canopy.core.time;
