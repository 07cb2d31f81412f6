package dev.canopy.deploy.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real curl, as a user types it: one request, its status, headers (lower-case names) and body. */
final class Curl {

  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private Curl() {}

  static Answer run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-s", "-i", "--max-time", "30"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(40, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("curl " + args[args.length - 1] + " failed: " + out);
    }
    int split = out.indexOf("\r\n\r\n");
    String head = split < 0 ? out : out.substring(0, split);
    String body = split < 0 ? "" : out.substring(split + 4);
    String[] lines = head.split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
    }
    return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
  }
}
