package dev.canopy.cloud.ec2;

import dev.canopy.api.query.QueryParams;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.resources.Filters;
import java.util.List;

/**
 * DescribeInstanceCreditSpecifications. Canopy does not meter CPU credits: a vCPU is a vCPU,
 * so every instance runs as a burstable one in {@code standard} mode would while it has
 * credits, and that is the answer for each instance named. {@code standard} (not AWS's T3
 * default {@code unlimited}) because it promises nothing extra, and Terraform's aws_instance
 * only stores the value it reads ({@code credit_specification.cpu_credits}), so a configuration
 * that sets nothing sees no diff. Without InstanceId.N, EC2 lists only instances in
 * {@code unlimited} mode: none here.
 */
public final class InstanceCreditActions {

  public static final String CPU_CREDITS = "standard";

  private InstanceCreditActions() {}

  public static List<Ec2Action> of(InstanceService instances) {
    return List.of(NamedAction.of("DescribeInstanceCreditSpecifications", (request, xml) -> {
      QueryParams p = request.params();
      List<String> ids = p.list("InstanceId");
      // Each id must be the caller's (InvalidInstanceID.NotFound / .Malformed otherwise).
      List<Instance> found = ids.isEmpty() ? List.of() : instances.describe(request.principal().accountId(), ids, List.of(), null, null).instances();
      xml.start("instanceCreditSpecificationSet");
      for (Instance instance : found) {
        boolean shown = Filters.matchAll(p.filters(), name -> switch (name) {
          case "instance-id" -> List.of(instance.instanceId());
          default -> throw Ec2Tags.unknownFilter(name);
        });
        if (shown) {
          xml.start("item").element("instanceId", instance.instanceId()).element("cpuCredits", CPU_CREDITS).end();
        }
      }
      xml.end();
    }));
  }
}
