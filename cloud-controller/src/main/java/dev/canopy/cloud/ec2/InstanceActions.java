package dev.canopy.cloud.ec2;

import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.QueryParams;
import dev.canopy.api.query.QueryTree;
import dev.canopy.cloud.tags.TagRules;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceAttributes;
import dev.canopy.cloud.compute.InstancePage;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.LaunchRequest;
import dev.canopy.cloud.compute.Reservation;
import dev.canopy.cloud.volumes.RootVolumes;
import dev.canopy.node.protocol.InstanceSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RunInstances, DescribeInstances, Start/Stop/Reboot/TerminateInstances, and (from {@link
 * InstanceAttributeActions}) the attribute and status actions.
 */
public final class InstanceActions {

  /** A bound on one call's launch count; EC2's own per-call limits are account quotas. */
  static final int INSTANCES_PER_RUN_MAX = 1000;
  static final int CLIENT_TOKEN_CHARS_MAX = 64;

  private InstanceActions() {}

  public static List<Ec2Action> of(InstanceService service, String defaultInstanceType) {
    List<Ec2Action> actions = new ArrayList<>(lifecycle(service, defaultInstanceType));
    actions.addAll(InstanceAttributeActions.of(service));
    actions.addAll(ConsoleActions.of(service));
    return List.copyOf(actions);
  }

  private static List<Ec2Action> lifecycle(InstanceService service, String defaultInstanceType) {
    RenderedInstances items = RenderedInstances.remembering();
    return List.of(
        NamedAction.of("RunInstances", (r, xml) -> {
          Reservation reservation = service.run(r.principal().accountId(), launchRequest(r.params(), defaultInstanceType));
          service.tagRootVolumes(r.principal().accountId(),
              reservation.instances().stream().map(i -> RootVolumes.volumeIdOf(i.instanceId())).toList(), volumeTags(r.params()));
          InstanceXml.reservation(xml, reservation.reservationId(), reservation.ownerId(), reservation.instances(),
              tags(service, r.principal().accountId(), reservation.instances()), items);
        }),
        NamedAction.of("DescribeInstances", (r, xml) -> {
          QueryParams p = r.params();
          Integer max = p.integer("MaxResults", 5, 1000).orElse(null);
          InstancePage page = service.describe(r.principal().accountId(), p.list("InstanceId"), p.filters(), max, p.first("NextToken").orElse(null));
          xml.start("reservationSet");
          // Consecutive instances of one reservation share an item, as EC2 groups them.
          Map<String, List<Instance>> byReservation = new LinkedHashMap<>();
          page.instances().forEach(i -> byReservation.computeIfAbsent(i.reservationId(), k -> new ArrayList<>()).add(i));
          Map<String, Map<String, String>> tags = tags(service, r.principal().accountId(), page.instances());
          byReservation.forEach((id, instances) -> {
            xml.start("item");
            InstanceXml.reservation(xml, id, instances.get(0).ownerId(), instances, tags, items);
            xml.end();
          });
          xml.end();
          xml.optionalElement("nextToken", page.nextToken());
        }),
        NamedAction.of("StartInstances", (r, xml) ->
            InstanceXml.stateChanges(xml, service.start(r.principal().accountId(), instanceIds(r.params())))),
        NamedAction.of("StopInstances", (r, xml) ->
            InstanceXml.stateChanges(xml, service.stop(r.principal().accountId(), instanceIds(r.params()), r.params().bool("Force").orElse(false)))),
        NamedAction.of("TerminateInstances", (r, xml) ->
            InstanceXml.stateChanges(xml, service.terminate(r.principal().accountId(), instanceIds(r.params())))),
        NamedAction.of("RebootInstances", (r, xml) -> {
          service.reboot(r.principal().accountId(), instanceIds(r.params()));
          xml.element("return", true);
        }));
  }

  static LaunchRequest launchRequest(QueryParams p, String defaultInstanceType) {
    String imageId = p.required("ImageId");
    int min = p.tree().integer("MinCount", 1, INSTANCES_PER_RUN_MAX).orElseThrow(() -> Ec2Errors.missingParameter("MinCount"));
    int max = p.tree().integer("MaxCount", 1, INSTANCES_PER_RUN_MAX).orElseThrow(() -> Ec2Errors.missingParameter("MaxCount"));
    if (min > max) {
      throw Ec2Errors.invalidParameterValue("MinCount (" + min + ") must not be greater than MaxCount (" + max + ").");
    }
    String token = p.first("ClientToken").filter(t -> !t.isEmpty()).orElse(null);
    if (token != null && token.length() > CLIENT_TOKEN_CHARS_MAX) {
      throw Ec2Errors.invalidParameterValue("ClientToken must be at most " + CLIENT_TOKEN_CHARS_MAX + " characters.");
    }
    String userData = p.first("UserData").filter(u -> !u.isEmpty()).orElse(null);
    if (userData != null) {
      checkUserData(userData);
    }
    return new LaunchRequest(imageId, p.first("InstanceType").orElse(defaultInstanceType), min, max,
        p.first("KeyName").filter(k -> !k.isEmpty()).orElse(null), p.list("SecurityGroupId"), p.list("SecurityGroup"),
        p.tree().string("Placement.AvailabilityZone").filter(z -> !z.isEmpty()).orElse(null), userData, token, instanceTags(p),
        launchAttributes(p));
  }

  /** DisableApiTermination, DisableApiStop and InstanceInitiatedShutdownBehavior, over EC2's defaults. */
  private static InstanceAttributes launchAttributes(QueryParams p) {
    InstanceAttributes a = InstanceAttributes.DEFAULTS;
    a = a.withDisableApiTermination(p.bool("DisableApiTermination").orElse(false));
    a = a.withDisableApiStop(p.bool("DisableApiStop").orElse(false));
    String behavior = p.first("InstanceInitiatedShutdownBehavior").filter(b -> !b.isEmpty()).orElse(null);
    return behavior == null ? a : a.withShutdownBehavior(InstanceAttributeActions.shutdownBehavior(behavior));
  }

  static void checkUserData(String base64) {
    byte[] decoded;
    try {
      // Line breaks are tolerated (some tools wrap base64); anything else outside the alphabet is not.
      decoded = Base64.getDecoder().decode(base64.replaceAll("[\\r\\n]", ""));
    } catch (IllegalArgumentException e) {
      throw Ec2Errors.invalidParameterValue("Invalid BASE64 encoding of user data.");
    }
    if (decoded.length > InstanceSpec.USER_DATA_BYTES_MAX) {
      throw Ec2Errors.invalidParameterValue("User data is limited to " + InstanceSpec.USER_DATA_BYTES_MAX + " bytes.");
    }
  }

  /** TagSpecification.N with ResourceType instance. */
  private static Map<String, String> instanceTags(QueryParams p) {
    return specTags(p, "instance");
  }

  /** TagSpecification.N with ResourceType volume: tags for each launched instance's root volume. */
  static Map<String, String> volumeTags(QueryParams p) {
    return specTags(p, "volume");
  }

  /** The tags of the TagSpecification.N entries for one resource type; other types have nothing to tag here. */
  private static Map<String, String> specTags(QueryParams p, String resourceType) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (QueryTree spec : p.tree().list("TagSpecification")) {
      String type = spec.requiredString("ResourceType");
      if (!type.equals(resourceType)) {
        continue;
      }
      tags.putAll(Ec2Tags.tagList(spec, "Tag"));
    }
    // The same rules as CreateTags: one place for AWS's limits.
    TagRules.check(tags);
    return tags;
  }

  private static List<String> instanceIds(QueryParams p) {
    List<String> ids = p.list("InstanceId");
    if (ids.isEmpty()) {
      throw Ec2Errors.missingParameter("InstanceId");
    }
    return ids;
  }

  private static Map<String, Map<String, String>> tags(InstanceService service, String accountId, List<Instance> instances) {
    // One read for the whole page: a page of 1,000 once cost 1,000 grid round trips here.
    return service.tagsOfEach(accountId, instances.stream().map(Instance::instanceId).toList());
  }
}
