package dev.canopy.cloud.images;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.query.Filter;
import dev.canopy.cloud.resources.Filters;
import dev.canopy.cloud.resources.ResourceIds;
import dev.canopy.cloud.grid.Table;
import dev.canopy.cloud.grid.Tables;
import dev.canopy.cloud.tags.TagStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Register, describe and deregister images, scoped to the calling account; the launch check. */
public final class ImageService implements ImageCatalog {

  /** Grid maps: images by id, and owner/name claims. */
  public static final String MAP = "images";
  public static final String NAMES_MAP = "image-names";

  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9()\\[\\] ./\\-'@_]{3,128}");
  private static final String DEFAULT_ROOT = "/dev/sda1";
  /** Accounts one image may be shared with; a bound, as AWS has one, so a record stays small. */
  public static final int LAUNCH_PERMISSIONS_MAX = 1_000;
  private static final int DESCRIPTION_LENGTH_MAX = 255;

  private final ImageObjects objects;
  private final Table<Image> images;
  private final Table<ImageName> names;
  private final TagStore tags;
  private final ResourceIds ids;
  private final InstantSource clock;

  public ImageService(Table<Image> images, Table<ImageName> names, TagStore tags, ResourceIds ids, InstantSource clock) {
    this(images, names, tags, ids, clock, ImageObjects.ANY);
  }

  public ImageService(Table<Image> images, Table<ImageName> names, TagStore tags, ResourceIds ids, InstantSource clock,
      ImageObjects objects) {
    this.objects = objects;
    this.images = images;
    this.names = names;
    this.tags = tags;
    this.ids = ids;
    this.clock = clock;
  }

  /** RegisterImage: a private machine image owned by the account. */
  public Image register(String accountId, RegisterImageRequest request) {
    if (!NAME.matcher(request.name()).matches()) {
      throw Ec2Errors.invalidParameterValue("AMI names must be 3-128 characters of letters, digits, spaces and ()[]./-'@_");
    }
    if (request.architecture() != null && !request.architecture().equals("x86_64")) {
      throw Ec2Errors.invalidParameterValue("Architecture " + request.architecture() + " is not supported; use x86_64");
    }
    if (request.imageLocation() == null && request.rootDeviceName() == null) {
      throw Ec2Errors.missingParameter("ImageLocation");
    }
    String bucketId = null;
    if (request.imageLocation() != null) {
      bucketId = objects.readableBucketId(accountId, request.imageLocation()).orElseThrow(() -> Ec2Errors.invalidParameterValue(
          "The image location '" + request.imageLocation() + "' is not an object (bucket/key) in the object store that you own"));
    }
    requireType(accountId, request.kernelId(), "kernel");
    requireType(accountId, request.ramdiskId(), "ramdisk");
    return create(accountId, "ami", "machine", request, false, bucketId);
  }

  /**
   * Registers the cloud's own public image (and its kernel and ramdisk, when given) once; a
   * later call with the same name returns the image registered first, so every start may call it.
   *
   * @param kernelLocation the kernel's S3 object, or null when the disk boots itself
   * @param ramdiskLocation the initramfs's S3 object, or null
   */
  public Image registerSystemImage(String name, String description, String diskLocation, String kernelLocation, String ramdiskLocation) {
    Optional<Image> existing = names.get(ImageName.key(Image.SYSTEM_OWNER, name)).flatMap(n -> images.get(n.imageId()));
    if (existing.isPresent()) {
      return existing.get();
    }
    String kernelId = kernelLocation == null ? null : create(Image.SYSTEM_OWNER, "aki", "kernel",
        new RegisterImageRequest(name + "-kernel", description, kernelLocation, null, "x86_64", null, null), true, null).imageId();
    String ramdiskId = ramdiskLocation == null ? null : create(Image.SYSTEM_OWNER, "ari", "ramdisk",
        new RegisterImageRequest(name + "-ramdisk", description, ramdiskLocation, null, "x86_64", null, null), true, null).imageId();
    return create(Image.SYSTEM_OWNER, "ami", "machine",
        new RegisterImageRequest(name, description, diskLocation, DEFAULT_ROOT, "x86_64", kernelId, ramdiskId), true, null);
  }

  /**
   * DescribeImages.
   *
   * @param owners self, an account id, canopy (the cloud's images) or amazon (none here)
   * @param executableBy all (public images), self or the caller's id (its own images and those
   *     shared with it), or another account's id (the caller's images shared with that account)
   */
  public List<Image> describe(String accountId, List<String> owners, List<String> imageIds, List<String> executableBy, List<Filter> filters) {
    // Every parameter is checked before any image is looked at: a bad one is an error even when no image would reach it.
    Filters.requireKnown(filters, FILTER_NAMES);
    executableBy.forEach(e -> executableAccount(accountId, e));
    List<Image> candidates;
    if (!imageIds.isEmpty()) {
      candidates = new ArrayList<>();
      for (String id : imageIds) {
        checkWellFormed(id);
        candidates.add(images.get(id).filter(i -> i.visibleTo(accountId)).orElseThrow(() -> ImageErrors.notFound(id)));
      }
    } else {
      candidates = images.values(i -> i.visibleTo(accountId));
    }
    List<String> ownerIds = owners.stream().map(o -> ownerId(accountId, o)).toList();
    return candidates.stream()
        .filter(i -> ownerIds.isEmpty() || ownerIds.contains(i.ownerId()))
        .filter(i -> executableBy.isEmpty() || executableBy.stream().anyMatch(e -> executable(accountId, e, i)))
        .filter(i -> Filters.matchAll(filters, name -> values(accountId, i, name)))
        .sorted(Comparator.comparing(Image::creationDate).thenComparing(Image::imageId))
        .toList();
  }

  /** DeregisterImage: only the owner may; instances already launched keep running. */
  public void deregister(String accountId, String imageId) {
    checkWellFormed(imageId);
    Image image = images.get(imageId).filter(i -> i.visibleTo(accountId)).orElseThrow(() -> ImageErrors.notFound(imageId));
    requireOwner(accountId, image);
    images.remove(imageId);
    names.remove(ImageName.key(image.ownerId(), image.name()));
    tags.remove(accountId, imageId, List.of());
  }

  /** Every image, system and tenants', oldest first: the operator's view. */
  public List<Image> all() {
    return images.values(i -> true).stream().sorted(Comparator.comparing(Image::creationDate).thenComparing(Image::imageId)).toList();
  }

  /**
   * The operator deregisters any image, as its owner could: like EC2's DeregisterImage, instances
   * already launched from it keep running (EC2 does not refuse an image in use).
   */
  public void deregisterAsOperator(String imageId) {
    checkWellFormed(imageId);
    Image image = images.get(imageId).orElseThrow(() -> ImageErrors.notFound(imageId));
    deregister(image.ownerId(), imageId);
  }

  /**
   * DescribeImageAttribute: the image as the caller may read it. Anyone who can see the image
   * reads its description, kernel and ramdisk; only the owner reads who it is shared with.
   *
   * @throws AwsException InvalidAMIID.NotFound when the caller cannot see it, AuthFailure for a
   *     non-owner asking for launchPermission
   */
  public Image attributes(String accountId, String imageId, boolean launchPermission) {
    Image image = visible(accountId, imageId);
    if (launchPermission) {
      requireOwner(accountId, image);
    }
    return image;
  }

  /**
   * ModifyImageAttribute launchPermission: share with accounts or make public, or undo either.
   * Only the owner may; sharing with the owner itself is a no-op, as in EC2.
   */
  public Image modifyLaunchPermission(String accountId, String imageId, LaunchPermissionChange change) {
    requireOwner(accountId, visible(accountId, imageId));
    for (String user : change.addUserIds()) {
      checkUserId(user);
    }
    for (String user : change.removeUserIds()) {
      checkUserId(user);
    }
    return Tables.update(images, imageId, image -> {
      LinkedHashSet<String> users = new LinkedHashSet<>(image.launchPermissions());
      change.addUserIds().stream().filter(u -> !u.equals(image.ownerId())).forEach(users::add);
      change.removeUserIds().forEach(users::remove);
      if (users.size() > LAUNCH_PERMISSIONS_MAX) {
        throw Ec2Errors.invalidParameterValue("An image can be shared with at most " + LAUNCH_PERMISSIONS_MAX + " accounts");
      }
      boolean shownToAll = (image.isPublic() || change.addAll()) && !change.removeAll();
      return image.withLaunchPermissions(shownToAll, List.copyOf(users));
    }).orElseThrow(() -> ImageErrors.notFound(imageId));
  }

  /** ModifyImageAttribute description: only the owner may. */
  public Image modifyDescription(String accountId, String imageId, String description) {
    requireOwner(accountId, visible(accountId, imageId));
    if (description.length() > DESCRIPTION_LENGTH_MAX) {
      throw Ec2Errors.invalidParameterValue("An AMI description is at most " + DESCRIPTION_LENGTH_MAX + " characters");
    }
    return Tables.update(images, imageId, image -> image.withDescription(description))
        .orElseThrow(() -> ImageErrors.notFound(imageId));
  }

  private Image visible(String accountId, String imageId) {
    checkWellFormed(imageId);
    return images.get(imageId).filter(i -> i.visibleTo(accountId)).orElseThrow(() -> ImageErrors.notFound(imageId));
  }

  /** EC2 answers a non-owner's change to an image it can see (public or shared) with AuthFailure. */
  private static void requireOwner(String accountId, Image image) {
    if (!image.ownerId().equals(accountId)) {
      throw ImageErrors.notAuthorized(image.imageId());
    }
  }

  private static void checkUserId(String userId) {
    if (!ACCOUNT_ID.matcher(userId).matches()) {
      throw ImageErrors.invalidAttributeItem(userId, "userId");
    }
  }

  /**
   * True when the account owns the image (only owners tag images): for the tag family's
   * {@code TaggableResources} (prefix {@code ami}, code {@code InvalidAMIID.NotFound}).
   */
  public boolean exists(String accountId, String imageId) {
    return images.get(imageId).filter(i -> i.ownerId().equals(accountId)).isPresent();
  }

  @Override
  public Optional<Image> launchable(String accountId, String imageId) {
    return images.get(imageId)
        .filter(i -> i.visibleTo(accountId) && i.imageType().equals("machine") && i.state().equals("available"));
  }

  @Override
  public Optional<Image> bootPart(String imageId) {
    return images.get(imageId).filter(i -> i.imageType().equals("kernel") || i.imageType().equals("ramdisk"));
  }

  public Map<String, String> tagsOf(String accountId, Image image) {
    return image.ownerId().equals(accountId) ? tags.tagsOf(accountId, image.imageId()) : Map.of();
  }

  /** @param bucketId the id of the location's bucket; null for the cloud's reserved bucket, whose id is its name */
  private Image create(String ownerId, String prefix, String type, RegisterImageRequest r, boolean isPublic, String bucketId) {
    String imageId = ids.next(prefix);
    // The name is claimed first: two concurrent registrations of one name cannot both win.
    if (!names.putIfAbsent(ImageName.key(ownerId, r.name()), new ImageName(ownerId, r.name(), imageId))) {
      throw ImageErrors.duplicateName(r.name());
    }
    Image image = new Image(imageId, ownerId, r.name(), r.description(), "available", type, "x86_64",
        r.rootDeviceName() == null && type.equals("machine") ? DEFAULT_ROOT : r.rootDeviceName(), r.imageLocation(),
        r.kernelId(), r.ramdiskId(), isPublic, clock.instant(), List.of(), bucketId);
    images.put(imageId, image);
    return image;
  }

  private void requireType(String accountId, String imageId, String type) {
    if (imageId == null) {
      return;
    }
    checkWellFormed(imageId);
    Image image = images.get(imageId).filter(i -> i.visibleTo(accountId)).orElseThrow(() -> ImageErrors.notFound(imageId));
    if (!image.imageType().equals(type)) {
      throw Ec2Errors.invalidParameterValue(imageId + " is a " + image.imageType() + " image, not a " + type + " image");
    }
  }

  static void checkWellFormed(String id) {
    if (!(ResourceIds.isWellFormed("ami", id) || ResourceIds.isWellFormed("aki", id) || ResourceIds.isWellFormed("ari", id))) {
      throw ImageErrors.malformed(id);
    }
  }

  private static String ownerId(String accountId, String owner) {
    return switch (owner) {
      case "self" -> accountId;
      // No AWS-owned images exist here: these match nothing, as an empty answer.
      case "amazon", "aws-marketplace", "aws-backup-vault" -> "-";
      case Image.SYSTEM_OWNER -> Image.SYSTEM_OWNER;
      default -> {
        if (!ACCOUNT_ID.matcher(owner).matches()) {
          throw Ec2Errors.invalidParameterValue("Invalid owner: " + owner);
        }
        yield owner;
      }
    };
  }

  private static boolean executable(String accountId, String executableBy, Image image) {
    if (executableBy.equals("all")) {
      return image.isPublic();
    }
    String account = executableAccount(accountId, executableBy);
    // Explicit launch permissions: the owner's implicit one, or a share with that account.
    return image.ownerId().equals(account) || image.launchPermissions().contains(account);
  }

  /** The account an ExecutableBy value other than {@code all} names. */
  private static String executableAccount(String accountId, String executableBy) {
    if (executableBy.equals("all")) {
      return null;
    }
    String account = executableBy.equals("self") ? accountId : executableBy;
    if (!ACCOUNT_ID.matcher(account).matches()) {
      throw Ec2Errors.invalidParameterValue("Invalid ExecutableBy: " + executableBy + " (expecting self, all or an account id)");
    }
    return account;
  }

  /** The filter names {@link #values} answers (besides {@code tag:KEY}); kept beside it. */
  static final java.util.Set<String> FILTER_NAMES = java.util.Set.of("image-id", "name", "description", "state", "owner-id",
      "owner-alias", "architecture", "is-public", "image-type", "kernel-id", "ramdisk-id", "root-device-name", "root-device-type", "tag-key");

  private List<String> values(String accountId, Image i, String filter) {
    if (filter.startsWith("tag:")) {
      String value = tagsOf(accountId, i).get(filter.substring(4));
      return value == null ? List.of() : List.of(value);
    }
    return switch (filter) {
      case "image-id" -> List.of(i.imageId());
      case "name" -> List.of(i.name());
      case "description" -> i.description() == null ? List.of() : List.of(i.description());
      case "state" -> List.of(i.state());
      case "owner-id" -> List.of(i.ownerId());
      case "owner-alias" -> i.ownerId().equals(Image.SYSTEM_OWNER) ? List.of(Image.SYSTEM_OWNER) : List.of();
      case "architecture" -> List.of(i.architecture());
      case "is-public" -> List.of(Boolean.toString(i.isPublic()));
      case "image-type" -> List.of(i.imageType());
      case "kernel-id" -> i.kernelId() == null ? List.of() : List.of(i.kernelId());
      case "ramdisk-id" -> i.ramdiskId() == null ? List.of() : List.of(i.ramdiskId());
      case "root-device-name" -> i.rootDeviceName() == null ? List.of() : List.of(i.rootDeviceName());
      case "root-device-type" -> List.of("instance-store");
      case "tag-key" -> List.copyOf(tagsOf(accountId, i).keySet());
      default -> throw Ec2Errors.invalidParameterValue("The filter '" + filter + "' is invalid");
    };
  }
}
