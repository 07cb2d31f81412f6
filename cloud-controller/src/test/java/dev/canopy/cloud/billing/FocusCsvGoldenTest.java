package dev.canopy.cloud.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CSV of a varied bill, byte for byte as it was written before the CSV writer stopped building a
 * map per row ({@code focus-golden.csv} was written by that version): usage and corrections, every
 * usage type, tags that need quoting and none, a SKU without a price.
 */
class FocusCsvGoldenTest {

  private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
  private static final Instant FIRST_HOUR = Instant.parse("2026-11-01T00:00:00Z");

  /** Rewrites the golden file from the current code: run only to change the format on purpose. */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0]), csv(), StandardCharsets.UTF_8);
  }

  @Test
  void theCsvIsUnchanged() throws IOException {
    try (InputStream golden = FocusCsvGoldenTest.class.getResourceAsStream("/billing/focus-golden.csv")) {
      assertThat(csv()).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static String csv() {
    SplittableRandom random = new SplittableRandom(5);
    List<HourlyUsage> usage = new ArrayList<>();
    List<HourlyUsage> corrections = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      UsageType type = UsageType.values()[i % UsageType.values().length];
      Instant hour = FIRST_HOUR.plusSeconds(3_600L * random.nextInt(720));
      Map<String, String> tags = switch (i % 3) {
        case 0 -> Map.of();
        case 1 -> Map.of("project", "a, \"quoted\"\nname", "env", "prod");
        default -> Map.of("team", "billing");
      };
      String instanceType = type == UsageType.INSTANCE_SECONDS ? (i % 2 == 0 ? "m1.small" : "c1.medium") : null;
      String resource = type.name().startsWith("INSTANCE") || type.name().startsWith("NETWORK") ? "i-" + i % 7 : "bucket-" + i % 5;
      usage.add(new HourlyUsage("acct-1", resource, type, instanceType, hour, random.nextLong(1L << 42), tags));
      if (i % 10 == 0) {
        corrections.add(new HourlyUsage("acct-1", resource, type, instanceType, hour.minusSeconds(86_400L * 40), random.nextLong(1L << 30), tags));
      }
    }
    PriceSheet prices = new PriceSheet("USD", Map.of("BoxUsage:m1.small", new BigDecimal("0.0115"),
        "DataTransfer-Out-Bytes", new BigDecimal("0.09"), "S3-Requests-Tier1", new BigDecimal("0.005")));
    StringWriter out = new StringWriter();
    FocusFormats.writeCsv(FocusReport.build("acct-1", NOVEMBER, usage, corrections, prices), out);
    return out.toString();
  }
}
