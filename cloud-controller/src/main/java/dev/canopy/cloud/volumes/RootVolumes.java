package dev.canopy.cloud.volumes;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.Filter;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.compute.InstanceType;
import dev.canopy.cloud.compute.InstanceTypes;
import dev.canopy.cloud.resources.Filters;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.tags.TagStore;
import dev.canopy.cloud.tags.TaggableResources;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * DescribeVolumes' domain: one root volume per instance the account can see that is not
 * terminated, read through {@link InstanceService}'s public queries (nothing is stored but tags).
 */
public final class RootVolumes {

  /** The device every instance reports as its root ({@code rootDeviceName} in DescribeInstances). */
  public static final String ROOT_DEVICE = "/dev/sda1";
  public static final String RESOURCE_TYPE = "volume";
  /** What the root disk is shown as: general purpose SSD, the type Terraform's root_block_device defaults to. */
  public static final String VOLUME_TYPE = "gp2";
  private static final List<String> LIVE_STATES = List.of("pending", "running", "stopping", "stopped", "shutting-down");

  private final InstanceService instances;
  private final InstanceTypes types;
  private final TagStore tags;

  public RootVolumes(InstanceService instances, InstanceTypes types, TagStore tags) {
    this.instances = instances;
    this.types = types;
    this.tags = tags;
  }

  /** The volume id of an instance's root volume: the same hex digits under {@code vol-}. */
  public static String volumeIdOf(String instanceId) {
    return "vol-" + instanceId.substring("i-".length());
  }

  static String instanceIdOf(String volumeId) {
    return "i-" + volumeId.substring("vol-".length());
  }

  /**
   * DescribeVolumes.
   *
   * @throws AwsException InvalidVolumeID.Malformed, InvalidVolume.NotFound for an id the
   *     account has no live volume for
   */
  public List<RootVolume> describe(String accountId, List<String> volumeIds, List<Filter> filters) {
    if (volumeIds.size() > InstanceService.IDS_MAX) {
      throw Ec2Errors.invalidParameterValue("At most " + InstanceService.IDS_MAX + " volume ids per request");
    }
    for (String id : volumeIds) {
      if (!ResourceIds.isWellFormed("vol", id)) {
        throw new AwsException(400, "InvalidVolumeID.Malformed", "Invalid id: \"" + id + "\" (expecting \"vol-...\")");
      }
    }
    Filters.requireKnown(filters, FILTER_NAMES);
    List<RootVolume> all = live(accountId);
    List<RootVolume> candidates = all;
    if (!volumeIds.isEmpty()) {
      candidates = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (String id : new LinkedHashSet<>(volumeIds)) {
        all.stream().filter(v -> v.volumeId().equals(id)).findFirst().ifPresentOrElse(candidates::add, () -> missing.add(id));
      }
      if (!missing.isEmpty()) {
        throw notFound(missing);
      }
    }
    return candidates.stream()
        .filter(v -> Filters.matchAll(filters, name -> values(v, name)))
        .toList();
  }

  /** For CreateTags/DeleteTags/DescribeTags on {@code vol-} ids. */
  public TaggableResources.Kind taggableKind() {
    return new TaggableResources.Kind("vol", RESOURCE_TYPE, "InvalidVolume.NotFound", this::exists);
  }

  public boolean exists(String accountId, String volumeId) {
    return ResourceIds.isWellFormed("vol", volumeId)
        && live(accountId, List.of(new Filter("instance-id", List.of(instanceIdOf(volumeId))))).size() == 1;
  }

  private List<RootVolume> live(String accountId) {
    return live(accountId, List.of());
  }

  private List<RootVolume> live(String accountId, List<Filter> instanceFilters) {
    List<Filter> filters = new ArrayList<>(instanceFilters);
    filters.add(new Filter("instance-state-name", LIVE_STATES));
    return instances.describe(accountId, List.of(), filters, null, null).instances().stream()
        .map(i -> volumeOf(accountId, i))
        .toList();
  }

  private RootVolume volumeOf(String accountId, Instance instance) {
    String volumeId = volumeIdOf(instance.instanceId());
    // A type removed from config after launch still has a disk; its size is then unknown (0).
    int size = types.find(instance.instanceType()).map(InstanceType::diskGib).orElse(0);
    return new RootVolume(volumeId, instance.instanceId(), instance.zone(), size, instance.launchTime(), ROOT_DEVICE,
        tags.tagsOf(accountId, volumeId));
  }

  private static AwsException notFound(List<String> ids) {
    String quoted = ids.size() == 1 ? "'" + ids.get(0) + "' does" : "'" + String.join(", ", ids) + "' do";
    return new AwsException(400, "InvalidVolume.NotFound", "The volume" + (ids.size() == 1 ? " " : "s ") + quoted + " not exist.");
  }

  /** The filter names {@link #values} answers (besides {@code tag:KEY}); kept beside it. */
  static final java.util.Set<String> FILTER_NAMES = java.util.Set.of("volume-id", "attachment.instance-id", "attachment.device",
      "attachment.status", "attachment.delete-on-termination", "availability-zone", "status", "size", "volume-type", "encrypted",
      "multi-attach-enabled", "tag-key", "tag-value");

  /** The volume's values for one DescribeVolumes filter. */
  private static List<String> values(RootVolume v, String filter) {
    if (filter.startsWith("tag:")) {
      String value = v.tags().get(filter.substring(4));
      return value == null ? List.of() : List.of(value);
    }
    return switch (filter) {
      case "volume-id" -> List.of(v.volumeId());
      case "attachment.instance-id" -> List.of(v.instanceId());
      case "attachment.device" -> List.of(v.device());
      case "attachment.status" -> List.of("attached");
      case "attachment.delete-on-termination" -> List.of("true");
      case "availability-zone" -> List.of(v.zone());
      case "status" -> List.of("in-use");
      case "size" -> List.of(Integer.toString(v.sizeGib()));
      case "volume-type" -> List.of(VOLUME_TYPE);
      case "encrypted" -> List.of("false");
      case "multi-attach-enabled" -> List.of("false");
      case "tag-key" -> List.copyOf(v.tags().keySet());
      case "tag-value" -> List.copyOf(v.tags().values());
      default -> throw Ec2Errors.invalidParameterValue("The filter '" + filter + "' is invalid");
    };
  }
}
