package dev.canopy.cloud.admin;

import dev.canopy.cloud.consoleapi.QueryValues;
import dev.canopy.cloud.metering.MeteringService;
import dev.canopy.cloud.metering.SamplePage;
import dev.canopy.cloud.metering.TimeRange;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /admin/v1/samples?instanceId=i-…|accountId=…[&fromMs=…][&toMs=…]}: parse, one query of
 * the metering service, render {@code {"samples": [...], "truncated": bool}}.
 */
final class SampleRequests {

  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  /** Epoch milliseconds: 18 digits cannot overflow a long. */
  private static final Pattern MILLIS = Pattern.compile("[0-9]{1,18}");

  private SampleRequests() {}

  static Map<String, Object> answer(MeteringService metering, MultiMap params) {
    String instanceId = params.get("instanceId");
    String accountId = params.get("accountId");
    if ((instanceId == null) == (accountId == null)) {
      throw new BadRequest("name either instanceId or accountId");
    }
    TimeRange range = rangeOf(params);
    SamplePage page;
    if (instanceId != null) {
      if (!QueryValues.isInstanceId(instanceId)) {
        throw new BadRequest("instanceId must be an instance id (i-...)");
      }
      page = metering.ofInstance(instanceId, range);
    } else {
      require(ACCOUNT_ID, accountId, "accountId must be an account id (12 digits)");
      page = metering.ofAccount(accountId, range);
    }
    return Map.of("samples", page.samples(), "truncated", page.truncated());
  }

  private static TimeRange rangeOf(MultiMap params) {
    long fromMs = millis(params.get("fromMs"), TimeRange.ALL.fromMs(), "fromMs");
    long toMs = millis(params.get("toMs"), TimeRange.ALL.toMs(), "toMs");
    if (toMs <= fromMs) {
      throw new BadRequest("toMs must be after fromMs");
    }
    return new TimeRange(fromMs, toMs);
  }

  private static long millis(String value, long absent, String name) {
    if (value == null) {
      return absent;
    }
    require(MILLIS, value, name + " must be epoch milliseconds");
    return Long.parseLong(value);
  }

  private static void require(Pattern pattern, String value, String message) {
    if (!pattern.matcher(value).matches()) {
      throw new BadRequest(message);
    }
  }
}
