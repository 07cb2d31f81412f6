package dev.canopy.cloud.compute;

import dev.canopy.cloud.images.ImageDelivery;

/**
 * What real guests need beyond placement: where their nodes fetch images, and what their host
 * firewalls allow. {@link #NONE} for clouds on libvirt's test driver.
 */
public record GuestSetup(ImageDelivery images, FirewallPolicy firewalls) {

  public static final GuestSetup NONE = new GuestSetup(ImageDelivery.NONE, FirewallPolicy.NONE);
}
