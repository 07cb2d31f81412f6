package dev.canopy.deploy.admin;

import dev.canopy.core.files.DurableFiles;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code canopy billing report|totals}: an account's monthly bill in FOCUS columns, or the month-end
 * run's totals of every account, from a running cloud's admin API.
 */
@Command(
    name = "billing",
    mixinStandardHelpOptions = true,
    description = "Bills of a running cloud (signed with DATA/admin/credentials).",
    subcommands = {BillingCommand.Report.class, BillingCommand.Totals.class})
public final class BillingCommand {

  @Option(names = "--data", description = "The cloud's data folder (default: ${DEFAULT-VALUE}).", defaultValue = "./canopy-data",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  Path data;

  @Option(names = "--endpoint", description = "Console URL (default: the 'console' entry of DATA/endpoints.json).",
      scope = picocli.CommandLine.ScopeType.INHERIT)
  URI endpoint;

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "An account's bill of one month (UTC): one row per resource, SKU and hour, FOCUS 1.x columns; see docs/billing.md.")
  static final class Report implements Callable<Integer> {
    @ParentCommand BillingCommand parent;

    @Option(names = "--account", required = true, paramLabel = "ACCOUNT", description = "The account's name or 12-digit id.")
    String account;

    @Mixin MonthOutput month;

    @Override
    public Integer call() {
      return parent.fetch("/admin/v1/billing/report?account=" + encoded(account) + "&" + month.query(), month.output);
    }
  }

  @Command(name = "totals", mixinStandardHelpOptions = true,
      description = "The month-end billing run: every account billed in the month (UTC), one row per account, resource and SKU; see docs/billing.md.")
  static final class Totals implements Callable<Integer> {
    @ParentCommand BillingCommand parent;

    @Mixin MonthOutput month;

    @Override
    public Integer call() {
      return parent.fetch("/admin/v1/billing/totals?" + month.query(), month.output);
    }
  }

  /** The options both commands take: which month, in which format, written where. */
  static final class MonthOutput {
    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "The billing month, UTC.")
    String month;

    @Option(names = "--format", paramLabel = "csv|json", defaultValue = "json", description = "csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the answer to FILE (atomically: whole or not at all) instead of stdout.")
    Path output;

    String query() {
      return "month=" + encoded(month) + "&format=" + encoded(format);
    }
  }

  /** GETs {@code path} from the admin API and writes the answer to {@code output} (atomically) or stdout. */
  int fetch(String path, Path output) {
    return AccountCommand.run(() -> {
      var reply = AccountCommand.clientFor(data, endpoint).send("GET", path, null);
      int exit = AccountCommand.report(reply, 200);
      if (exit == 0) {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        if (output != null) {
          DurableFiles.write(output.toAbsolutePath(), body);
        } else {
          System.out.write(body);
          System.out.flush();
        }
      }
      return exit;
    });
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
