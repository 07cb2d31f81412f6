package dev.canopy.deploy.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The console port's settings. Outside {@code dev} the console is served over HTTPS with a
 * certificate from the cloud's CA; its names are the controller's own address and these.
 *
 * @param hostnames more names or addresses browsers reach this controller's console by (a load
 *     balancer's name, a public address), added to its certificate's subject alternative names
 */
public record ConsoleSettings(List<String> hostnames) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.:\\-]{1,253}");

  public ConsoleSettings {
    hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
    for (String name : hostnames) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new ConfigException("console.hostnames", "'" + name + "' is not a host name or an address");
      }
    }
  }
}
