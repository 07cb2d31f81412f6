package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Error;
import java.util.regex.Pattern;

/** S3's general-purpose bucket naming rules (the subset that matters for path and DNS style). */
public final class BucketNames {

  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private BucketNames() {}

  /**
   * True for 3–63 characters of lower-case letters, digits, dots and hyphens that start and end
   * with a letter or digit, have no ".." (nor ".-"/"-." which break DNS labels), and do not look
   * like an IPv4 address.
   */
  public static boolean isValid(String name) {
    return name != null
        && SHAPE.matcher(name).matches()
        && !name.contains("..")
        && !name.contains(".-")
        && !name.contains("-.")
        && !IP_ADDRESS.matcher(name).matches();
  }

  public static void check(String name) {
    if (!isValid(name)) {
      throw S3Error.INVALID_BUCKET_NAME.exception();
    }
  }
}
