package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.backend.Versioning;
import dev.canopy.storage.s3.xml.SafeXml;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * The {@code VersioningConfiguration} document of Get/PutBucketVersioning, and the bucket's stored
 * state: the {@value #DOCUMENT} document holds {@code Enabled} or {@code Suspended}; none at all
 * means versioning was never enabled.
 */
final class VersioningXml {

  static final String DOCUMENT = Versioning.DOCUMENT;
  /** Status and MfaDelete fit in far less; a larger body is refused before parsing. */
  static final int BODY_BYTES_MAX = 4096;

  private VersioningXml() {}

  /** The state a PutBucketVersioning body asks for: ENABLED or SUSPENDED. */
  static Versioning parse(byte[] body) {
    Element root = S3Xml.requestRoot(body, "VersioningConfiguration");
    Optional<String> mfaDelete = SafeXml.childText(root, "MfaDelete").map(String::trim);
    if (mfaDelete.isPresent() && !mfaDelete.get().equals("Disabled")) {
      if (!mfaDelete.get().equals("Enabled")) {
        throw StorageErrors.malformedXml();
      }
      throw StorageErrors.notImplemented("MFA Delete");
    }
    Optional<String> status = SafeXml.childText(root, "Status").map(String::trim);
    if (status.isEmpty()) {
      throw new AwsException(400, "IllegalVersioningConfigurationException",
          "The Versioning element must be specified");
    }
    return switch (status.get()) {
      case "Enabled" -> Versioning.ENABLED;
      case "Suspended" -> Versioning.SUSPENDED;
      default -> throw StorageErrors.malformedXml();
    };
  }

  /** The stored document of a state. */
  static String document(Versioning mode) {
    return mode == Versioning.ENABLED ? "Enabled" : "Suspended";
  }

  /** The state a stored document (or its absence) means. */
  static Versioning mode(Optional<String> document) {
    return Versioning.ofDocument(document.orElse(null));
  }

  /** GetBucketVersioning's answer: no Status for a bucket never versioned. */
  static String render(Versioning mode) {
    var xml = S3Xml.document("VersioningConfiguration");
    if (mode != Versioning.UNVERSIONED) {
      xml.element("Status", document(mode));
    }
    return xml.end().toString();
  }
}
