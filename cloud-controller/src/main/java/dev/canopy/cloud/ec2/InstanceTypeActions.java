package dev.canopy.cloud.ec2;

import dev.canopy.cloud.resources.Filters;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.Filter;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.compute.InstanceType;
import dev.canopy.cloud.compute.InstanceTypes;
import java.util.ArrayList;
import java.util.List;

/** DescribeInstanceTypes: the configured types in AWS's InstanceTypeInfo shape. */
public final class InstanceTypeActions {

  private InstanceTypeActions() {}

  public static List<Ec2Action> of(InstanceTypes types) {
    return List.of(new DescribeInstanceTypes(types));
  }

  record DescribeInstanceTypes(InstanceTypes types) implements Ec2Action {
    @Override
    public String name() {
      return "DescribeInstanceTypes";
    }

    @Override
    public void handle(Ec2Request request, XmlWriter xml) {
      List<String> names = request.params().list("InstanceType");
      List<Filter> filters = request.params().filters();
      int max = request.params().integer("MaxResults", 5, 100).orElse(100);
      int from = request.params().first("NextToken").map(InstanceTypeActions::offset).orElse(0);
      List<InstanceType> chosen = new ArrayList<>();
      for (String name : names) {
        chosen.add(types.find(name).orElseThrow(() ->
            new AwsException(400, "InvalidInstanceType", "The following supplied instance types do not exist: [" + name + "]")));
      }
      List<InstanceType> shown = (names.isEmpty() ? types.all() : chosen).stream()
          .filter(t -> Filters.matchAll(filters, f -> values(t, f)))
          .toList();
      int to = Math.min(shown.size(), from + max);
      xml.start("instanceTypeSet");
      for (InstanceType t : shown.subList(Math.min(from, to), to)) {
        render(xml, t);
      }
      xml.end();
      if (to < shown.size()) {
        xml.element("nextToken", Integer.toString(to));
      }
    }
  }

  private static int offset(String token) {
    try {
      int n = Integer.parseInt(token);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw Ec2Errors.invalidParameterValue("The token '" + token + "' is invalid.");
    }
  }

  private static List<String> values(InstanceType t, String filter) {
    return switch (filter) {
      case "instance-type" -> List.of(t.name());
      case "vcpu-info.default-vcpus" -> List.of(Integer.toString(t.vcpus()));
      case "memory-info.size-in-mib" -> List.of(Integer.toString(t.memoryMib()));
      case "instance-storage-supported" -> List.of(Boolean.toString(t.diskGib() > 0));
      case "instance-storage-info.total-size-in-gb" -> List.of(Integer.toString(t.diskGib()));
      case "current-generation" -> List.of("true");
      case "burstable-performance-supported" -> List.of("false");
      case "hypervisor" -> List.of("nitro");
      case "processor-info.supported-architecture" -> List.of("x86_64");
      default -> throw Ec2Errors.invalidParameterValue("The filter '" + filter + "' is invalid");
    };
  }

  private static void render(XmlWriter xml, InstanceType t) {
    xml.start("item")
        .element("instanceType", t.name())
        .element("currentGeneration", true)
        .element("freeTierEligible", false)
        .start("supportedUsageClasses").element("item", "on-demand").end()
        .start("supportedRootDeviceTypes").element("item", "instance-store").end()
        .start("supportedVirtualizationTypes").element("item", "hvm").end()
        .element("bareMetal", false)
        .element("hypervisor", "nitro")
        .start("processorInfo").start("supportedArchitectures").element("item", "x86_64").end().end()
        .start("vCpuInfo").element("defaultVCpus", t.vcpus()).element("defaultCores", t.vcpus()).element("defaultThreadsPerCore", 1).end()
        .start("memoryInfo").element("sizeInMiB", t.memoryMib()).end()
        .element("instanceStorageSupported", t.diskGib() > 0);
    if (t.diskGib() > 0) {
      xml.start("instanceStorageInfo").element("totalSizeInGB", t.diskGib())
          .start("disks").start("item").element("sizeInGB", t.diskGib()).element("count", 1).element("type", "ssd").end().end()
          .element("nvmeSupport", "unsupported").end();
    }
    xml.element("hibernationSupported", false)
        .element("burstablePerformanceSupported", false)
        .element("dedicatedHostsSupported", false)
        .element("autoRecoverySupported", false)
        .end();
  }
}
