/**
 * Minimal XML for the S3 REST protocol: a streaming-free writer for response documents and a
 * hardened DOM reader for request bodies (no DTDs, no external entities, no XInclude). Knows
 * nothing of S3 itself.
 */
package dev.canopy.storage.s3.xml;
