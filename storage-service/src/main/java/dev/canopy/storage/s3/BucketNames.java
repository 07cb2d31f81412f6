package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Error;
import java.util.List;
import java.util.regex.Pattern;

/** S3's general-purpose bucket naming rules (S3 User Guide, "General purpose bucket naming rules"). */
public final class BucketNames {

  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  /** Prefixes S3 reserves (punycode, its own internal names, documentation examples). */
  private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
  /** Suffixes S3 reserves for access point aliases, Multi-Region Access Points, directory and table buckets. */
  private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

  /**
   * The bucket holding the cloud's own images (seeded at start, owned by no tenant). Reserved from
   * the first start on, seeded or not: a tenant who took the name first would own the objects the
   * cloud's public image boots from.
   */
  public static final String SYSTEM_IMAGES = "canopy-system-images";

  private BucketNames() {}

  /** True for names the cloud keeps for itself; CreateBucket answers them as taken. */
  public static boolean isReserved(String name) {
    return SYSTEM_IMAGES.equals(name);
  }

  /**
   * True for 3–63 characters of lower-case letters, digits, dots and hyphens that start and end
   * with a letter or digit, have no ".." (nor ".-"/"-." which break DNS labels), do not look
   * like an IPv4 address, and neither start nor end with a reserved affix. A name S3 would refuse
   * must be refused here too, or a bucket could never move to S3 under its name.
   */
  public static boolean isValid(String name) {
    return name != null
        && SHAPE.matcher(name).matches()
        && !name.contains("..")
        && !name.contains(".-")
        && !name.contains("-.")
        && !IP_ADDRESS.matcher(name).matches()
        && RESERVED_PREFIXES.stream().noneMatch(name::startsWith)
        && RESERVED_SUFFIXES.stream().noneMatch(name::endsWith);
  }

  public static void check(String name) {
    if (!isValid(name)) {
      throw S3Error.INVALID_BUCKET_NAME.exception();
    }
  }
}
