/**
 * A hardened DOM reader for S3 request bodies (no DTDs, no external entities, no XInclude).
 * Knows nothing of S3 itself. Response documents are written with api-compat's
 * {@link dev.canopy.api.xml.XmlWriter}.
 */
package dev.canopy.storage.s3.xml;
