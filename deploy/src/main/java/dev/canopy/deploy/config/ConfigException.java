package dev.canopy.deploy.config;

/** A configuration problem, naming the offending key; start-up stops with its message. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super("config key '" + key + "': " + problem);
  }

  public ConfigException(String message) {
    super(message);
  }
}
