package dev.canopy.cloud.ec2;

import dev.canopy.api.query.QueryParams;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.images.RegisterImageRequest;
import java.util.List;

/** RegisterImage, DescribeImages, DeregisterImage. */
public final class ImageActions {

  private ImageActions() {}

  public static List<Ec2Action> of(ImageService images) {
    return List.of(new RegisterImage(images), new DescribeImages(images), new DeregisterImage(images));
  }

  record RegisterImage(ImageService images) implements Ec2Action {
    @Override
    public String name() {
      return "RegisterImage";
    }

    @Override
    public void handle(Ec2Request request, XmlWriter xml) {
      QueryParams p = request.params();
      // Without ImageLocation, the root device names the disk: RootDeviceName or the first mapping.
      String root = p.first("RootDeviceName")
          .or(() -> p.tree().string("BlockDeviceMapping.1.DeviceName")).orElse(null);
      RegisterImageRequest r = new RegisterImageRequest(p.required("Name"), p.first("Description").orElse(null),
          p.first("ImageLocation").filter(l -> !l.isEmpty()).orElse(null), root, p.first("Architecture").orElse(null),
          p.first("KernelId").orElse(null), p.first("RamdiskId").orElse(null));
      xml.element("imageId", images.register(request.principal().accountId(), r).imageId());
    }
  }

  record DescribeImages(ImageService images) implements Ec2Action {
    @Override
    public String name() {
      return "DescribeImages";
    }

    @Override
    public void handle(Ec2Request request, XmlWriter xml) {
      QueryParams p = request.params();
      String account = request.principal().accountId();
      List<Image> found = images.describe(account, p.list("Owner"), p.list("ImageId"), p.list("ExecutableBy"), p.filters());
      xml.start("imagesSet");
      for (Image i : found) {
        xml.start("item")
            .element("imageId", i.imageId())
            .optionalElement("imageLocation", i.imageLocation())
            .element("imageState", i.state())
            .element("imageOwnerId", i.ownerId())
            .element("creationDate", Ec2Xml.time(i.creationDate()))
            .element("isPublic", i.isPublic())
            .element("architecture", i.architecture())
            .element("imageType", i.imageType())
            .optionalElement("kernelId", i.kernelId())
            .optionalElement("ramdiskId", i.ramdiskId())
            .optionalElement("imageOwnerAlias", i.ownerId().equals(Image.SYSTEM_OWNER) ? Image.SYSTEM_OWNER : null)
            .element("name", i.name())
            .optionalElement("description", i.description())
            .element("rootDeviceType", "instance-store")
            .optionalElement("rootDeviceName", i.rootDeviceName())
            .start("blockDeviceMapping").end()
            .element("virtualizationType", "hvm");
        Ec2Xml.tagSet(xml, images.tagsOf(account, i));
        xml.element("hypervisor", "xen").end();
      }
      xml.end();
    }
  }

  record DeregisterImage(ImageService images) implements Ec2Action {
    @Override
    public String name() {
      return "DeregisterImage";
    }

    @Override
    public void handle(Ec2Request request, XmlWriter xml) {
      images.deregister(request.principal().accountId(), request.params().required("ImageId"));
      xml.element("return", true);
    }
  }
}
