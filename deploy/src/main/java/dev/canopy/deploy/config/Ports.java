package dev.canopy.deploy.config;

/** Client-facing ports and the agent port (nodes dial it); 0 asks the OS for a free one. Defaults are DESIGN's well-known ports. */
public record Ports(Integer ec2, Integer s3, Integer console, Integer management, Integer agent) {

  public Ports {
    ec2 = valid("ports.ec2", ec2, 8773);
    s3 = valid("ports.s3", s3, 8779);
    console = valid("ports.console", console, 8780);
    management = valid("ports.management", management, 8781);
    agent = valid("ports.agent", agent, 8775);
  }

  /** Without the agent port (its default applies). */
  public Ports(Integer ec2, Integer s3, Integer console, Integer management) {
    this(ec2, s3, console, management, null);
  }

  /** Each non-null argument replaces the current value. */
  public Ports override(Integer ec2Port, Integer s3Port, Integer consolePort, Integer managementPort) {
    return override(ec2Port, s3Port, consolePort, managementPort, null);
  }

  /** Each non-null argument replaces the current value. */
  public Ports override(Integer ec2Port, Integer s3Port, Integer consolePort, Integer managementPort, Integer agentPort) {
    return new Ports(
        ec2Port != null ? ec2Port : ec2,
        s3Port != null ? s3Port : s3,
        consolePort != null ? consolePort : console,
        managementPort != null ? managementPort : management,
        agentPort != null ? agentPort : agent);
  }

  private static int valid(String key, Integer value, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < 0 || value > 65535) {
      throw new ConfigException(key, value + " is not a port (0-65535)");
    }
    return value;
  }
}
