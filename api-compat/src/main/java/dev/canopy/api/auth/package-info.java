/**
 * AWS Signature Version 4, both ways: {@link dev.canopy.api.auth.SigV4Verifier} checks what
 * tenants' SDKs and the {@code aws} CLI sign (Authorization header, presigned URLs, aws-chunked
 * streaming bodies with chunk signatures and checksum trailers), {@link
 * dev.canopy.api.auth.SigV4Signer} signs Canopy's own admin calls with the very same
 * canonicalisation code. {@link dev.canopy.api.auth.SigV2Verifier} checks Signature Version 2
 * query signing (what euca2ools and older EC2 tools send), with the same credentials, clock and
 * skew window, for small bodies only.
 *
 * <p>The contract for callers is two-phase: {@code verify} authenticates the request head and
 * returns a {@link dev.canopy.api.auth.VerifiedRequest}; its {@link
 * dev.canopy.api.auth.PayloadVerifier} then decodes and checks the body as it streams. Bytes it
 * emits are tentative until {@code finish()} succeeds, because chunk signatures and checksums
 * can only be checked at the end of what they cover.
 *
 * <p>Failures are {@link dev.canopy.api.auth.AuthException}s with a protocol-neutral kind; each
 * service maps them to its own error codes ({@code dev.canopy.api.error}). Nothing here knows
 * about HTTP libraries, accounts or storage: credentials come in through {@link
 * dev.canopy.api.auth.CredentialLookup} and time through an injected {@code InstantSource}.
 */
package dev.canopy.api.auth;
