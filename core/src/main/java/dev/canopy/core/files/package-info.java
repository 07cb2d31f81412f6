/**
 * The one durable, atomic file write ({@link dev.canopy.core.files.DurableFiles}): temporary file
 * in the same directory, fsync, atomic rename, fsync of the directory; an owner-only variant for
 * secrets. Every module that keeps state in small files writes them through it.
 */
package dev.canopy.core.files;
