package dev.canopy.storage.backend;

import dev.canopy.api.error.S3Errors;
import java.util.List;
import java.util.Optional;

/**
 * S3's conditional write, checked against the current version at the moment of the commit (under
 * the key's lock, so two conditional writers cannot both win): {@code If-None-Match: *} writes
 * only where no object exists (else 412 PreconditionFailed); {@code If-Match} writes only over a
 * version whose ETag it names (412 when another version is current, 404 NoSuchKey when none is).
 *
 * @param onlyIfAbsent {@code If-None-Match: *}
 * @param acceptedEtags the {@code If-Match} list, unquoted and lower case ("*" names any version);
 *     empty when the header is absent
 */
public record WriteCondition(boolean onlyIfAbsent, List<String> acceptedEtags) {

  public static final WriteCondition NONE = new WriteCondition(false, List.of());

  public WriteCondition {
    acceptedEtags = List.copyOf(acceptedEtags);
  }

  /** Throws the S3 error the write must fail with, given the current version's ETag (empty: none). */
  public void check(Optional<String> currentEtag) {
    if (onlyIfAbsent && currentEtag.isPresent()) {
      throw S3Errors.preconditionFailed();
    }
    if (acceptedEtags.isEmpty()) {
      return;
    }
    if (currentEtag.isEmpty()) {
      throw S3Errors.noSuchKey();
    }
    if (!acceptedEtags.contains("*") && !acceptedEtags.contains(currentEtag.get())) {
      throw S3Errors.preconditionFailed();
    }
  }
}
