/**
 * The fuzz integration test: seeded generators of validly signed, malformed requests for each
 * API (EC2 Query, S3 REST, admin JSON), a raw HTTP/1.1 sender that puts exactly those bytes on the
 * wire, and the checks every answer must pass (no 5xx but AWS's 503s, no hang, AWS or admin
 * error shapes, no stack trace). {@link dev.canopy.deploy.it.fuzz.FuzzIT} drives them against a
 * real {@code canopy dev}.
 */
package dev.canopy.deploy.it.fuzz;
