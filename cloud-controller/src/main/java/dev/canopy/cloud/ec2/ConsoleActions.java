package dev.canopy.cloud.ec2;

import dev.canopy.cloud.compute.ConsoleOutput;
import dev.canopy.cloud.compute.InstanceService;
import java.util.List;

/** GetConsoleOutput: the instance's serial console, base64, as its node last saw it. */
final class ConsoleActions {

  private ConsoleActions() {}

  static List<Ec2Action> of(InstanceService service) {
    return List.of(NamedAction.of("GetConsoleOutput", (r, xml) -> {
      // Latest=true asks EC2 for the live buffer instead of the last snapshot; a node's log file is always live.
      r.params().bool("Latest");
      ConsoleOutput out = service.consoleOutput(r.principal().accountId(), r.params().required("InstanceId"));
      xml.element("instanceId", out.instanceId()).element("timestamp", Ec2Xml.time(out.timestamp()));
      if (out.outputBase64() != null) {
        xml.element("output", out.outputBase64());
      }
    }));
  }
}
