package dev.canopy.api.auth;

/**
 * A request whose signature (or presigned URL) checked out. Its body is not yet verified: pass
 * every byte through {@link #newPayloadVerifier()}.
 */
public interface VerifiedRequest {

  Principal principal();

  /** A fresh verifier for this request's body, chosen by its x-amz-content-sha256 mode. */
  PayloadVerifier newPayloadVerifier();
}
