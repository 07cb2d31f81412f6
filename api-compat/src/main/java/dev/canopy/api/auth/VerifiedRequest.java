package dev.canopy.api.auth;

import java.util.List;

/**
 * A request whose signature (or presigned URL) checked out. Its body is not yet verified: pass
 * every byte through {@link #newPayloadVerifier()}.
 */
public interface VerifiedRequest {

  Principal principal();

  /** The headers the signature covers, lower case: a header outside them may have been added by anyone. */
  List<String> signedHeaders();

  /** A fresh verifier for this request's body, chosen by its x-amz-content-sha256 mode. */
  PayloadVerifier newPayloadVerifier();
}
