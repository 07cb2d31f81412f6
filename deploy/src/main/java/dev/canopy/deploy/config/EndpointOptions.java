package dev.canopy.deploy.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The config file and the port flags of every role that serves endpoints (a picocli mixin). */
public final class EndpointOptions {

  @Option(names = "--config", description = "YAML config file; every key has a default.")
  Path config;

  @Option(names = "--ec2-port", description = "EC2 port (default 8773; 0 = any free port).")
  Integer ec2Port;

  @Option(names = "--console-port", description = "Console and admin API port (default 8780; 0 = any).")
  Integer consolePort;

  @Option(names = "--management-port", description = "Management port (default 8781; 0 = any).")
  Integer managementPort;

  @Option(names = "--agent-port", description = "Node-agent port, mutual TLS (default 8775; 0 = any).")
  Integer agentPort;

  /**
   * The file's configuration (or the defaults) with the flags applied.
   *
   * @param s3Port the S3 port flag of a role that serves S3, else null
   * @param bind the address to listen on, when the role names one, else null
   * @throws ConfigException naming the bad key
   */
  public CanopyConfig effective(Integer s3Port, String bind) {
    CanopyConfig effective = config == null ? CanopyConfig.defaults() : ConfigLoader.load(config);
    effective = effective.withPorts(effective.ports().override(ec2Port, s3Port, consolePort, managementPort, agentPort));
    return bind == null ? effective : effective.withBindAddress(bind);
  }
}
