package dev.canopy.storage.backend;

import dev.canopy.api.error.S3Errors;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** S3's rules for multipart uploads: part numbers, the part list of a completion, the ETag. */
public final class MultipartRules {

  public static final int PART_NUMBER_MIN = 1;
  public static final int PART_NUMBER_MAX = 10_000;
  /** Every part but the last must be at least this large (S3: 5 MiB). */
  public static final long PART_SIZE_MIN = 5L * 1024 * 1024;

  private MultipartRules() {}

  public static void checkPartNumber(int partNumber) {
    if (partNumber < PART_NUMBER_MIN || partNumber > PART_NUMBER_MAX) {
      throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive");
    }
  }

  /**
   * Checks a completion's part list against the uploaded parts, in S3's order of checks, and
   * returns the parts to assemble, in order.
   *
   * @param requested the client's list, in the order sent
   * @param uploaded uploaded parts by part number
   * @param partSizeMin the minimum size of every part but the last ({@link #PART_SIZE_MIN})
   */
  public static List<PartInfo> select(
      List<CompletedPart> requested, Map<Integer, PartInfo> uploaded, long partSizeMin) {
    if (requested.isEmpty() || requested.size() > PART_NUMBER_MAX) {
      throw StorageErrors.malformedXml();
    }
    int previous = 0;
    for (CompletedPart part : requested) {
      if (part.partNumber() <= previous) {
        throw S3Errors.invalidPartOrder();
      }
      previous = part.partNumber();
    }
    List<PartInfo> chosen = new ArrayList<>(requested.size());
    for (CompletedPart part : requested) {
      PartInfo stored = uploaded.get(part.partNumber());
      if (stored == null || !stored.etag().equals(normalizeEtag(part.etag()))) {
        throw StorageErrors.invalidPart("Part " + part.partNumber() + ".");
      }
      chosen.add(stored);
    }
    for (int i = 0; i < chosen.size() - 1; i++) {
      if (chosen.get(i).size() < partSizeMin) {
        throw S3Errors.entityTooSmall();
      }
    }
    return chosen;
  }

  /** The ETag S3 gives a multipart object: hex MD5 of the parts' binary MD5s, "-", the count. */
  public static String multipartEtag(List<PartInfo> parts) {
    MessageDigest md5 = md5();
    for (PartInfo part : parts) {
      md5.update(part.md5());
    }
    return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
  }

  /** Strips the quotes (and any weak marker) clients put around ETags; lower-cases hex. */
  public static String normalizeEtag(String etag) {
    if (etag == null) {
      return "";
    }
    String value = etag.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return value.toLowerCase(Locale.ROOT);
  }

  public static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }
}
