package dev.canopy.cloud.ec2;

import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.core.cache.KeyedMemo;
import java.util.Map;

/**
 * Each instance's {@code instancesSet} item, rendered once and reused while its record and tags
 * are unchanged. Once a controller stopped decoding unchanged records on every read ({@link
 * dev.canopy.cloud.compute.InstanceService#RECORDS_REMEMBERED}), rendering them was the largest
 * server cost left in a DescribeInstances page of 1,000. An item depends on nothing else: no
 * clock, no caller.
 */
final class RenderedInstances {

  private record Input(Instance instance, Map<String, String> tags) {
    /**
     * Usually the very record rendered last time (the instance table hands out one decoding per
     * stored text), so identity answers before a compare of every field.
     */
    @Override
    public boolean equals(Object other) {
      return other instanceof Input that
          && (instance == that.instance || instance.equals(that.instance))
          && tags.equals(that.tags);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(instance, tags);
    }
  }

  private final KeyedMemo<Input, XmlWriter.Rendered> items;

  private RenderedInstances(KeyedMemo<Input, XmlWriter.Rendered> items) {
    this.items = items;
  }

  /** Remembers the items of as many instances as the controller keeps decoded, about 1.5 KB each. */
  static RenderedInstances remembering() {
    return new RenderedInstances(KeyedMemo.ofSize(dev.canopy.cloud.compute.InstanceService.RECORDS_REMEMBERED));
  }

  /** Adds the instance's item to {@code xml}, inside its open {@code instancesSet}. */
  void item(XmlWriter xml, Instance instance, Map<String, String> tags) {
    xml.append(items.apply(instance.instanceId(), new Input(instance, tags), RenderedInstances::render));
  }

  private static XmlWriter.Rendered render(Input input) {
    XmlWriter item = XmlWriter.fragment();
    InstanceXml.instance(item, input.instance(), input.tags());
    return item.rendered();
  }
}
