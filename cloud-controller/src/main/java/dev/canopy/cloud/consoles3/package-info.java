/**
 * The console's bucket browser: {@code /api/s3/...} on the console port, each call made by the
 * controller to an S3 endpoint of the cloud, signed with the session account's own access key, so
 * that bucket policies, ACLs, quotas and metering apply exactly as to the tenant's own tools.
 * Listings come back as JSON, objects stream through in both directions without being held whole,
 * and S3's refusals keep their code and status in the console's JSON error.
 */
package dev.canopy.cloud.consoles3;
