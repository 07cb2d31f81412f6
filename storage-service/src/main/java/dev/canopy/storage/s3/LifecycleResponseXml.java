package dev.canopy.storage.s3;

import dev.canopy.api.xml.XmlWriter;
import dev.canopy.storage.lifecycle.LifecycleConfiguration;
import dev.canopy.storage.lifecycle.LifecycleFilter;
import dev.canopy.storage.lifecycle.LifecycleRule;

/** GetBucketLifecycleConfiguration's answer: the stored rules, each written as the client wrote it. */
final class LifecycleResponseXml {

  private LifecycleResponseXml() {}

  static String render(LifecycleConfiguration configuration) {
    XmlWriter xml = S3Xml.document("LifecycleConfiguration");
    for (LifecycleRule rule : configuration.rules()) {
      xml.start("Rule");
      if (rule.expiresObjects() || rule.expiredObjectDeleteMarker() != null) {
        xml.start("Expiration")
            .optionalElement("Date", rule.expirationDate())
            .optionalElement("Days", text(rule.expirationDays()))
            .optionalElement("ExpiredObjectDeleteMarker", text(rule.expiredObjectDeleteMarker()))
            .end();
      }
      xml.element("ID", rule.id());
      filter(xml, rule.filter());
      xml.element("Status", rule.enabled() ? "Enabled" : "Disabled");
      if (rule.noncurrentDays() != null || rule.newerNoncurrentVersions() != null) {
        xml.start("NoncurrentVersionExpiration")
            .optionalElement("NoncurrentDays", text(rule.noncurrentDays()))
            .optionalElement("NewerNoncurrentVersions", text(rule.newerNoncurrentVersions()))
            .end();
      }
      if (rule.abortAfterDays() != null) {
        xml.start("AbortIncompleteMultipartUpload").element("DaysAfterInitiation", rule.abortAfterDays()).end();
      }
      xml.end();
    }
    return xml.end().toString();
  }

  private static void filter(XmlWriter xml, LifecycleFilter filter) {
    if (filter.form() == LifecycleFilter.Form.LEGACY_PREFIX) {
      xml.element("Prefix", filter.prefix());
      return;
    }
    xml.start("Filter");
    if (filter.form() == LifecycleFilter.Form.AND) {
      xml.start("And");
    }
    xml.optionalElement("Prefix", filter.prefix());
    TagSets.tags(xml, filter.tags());
    xml.optionalElement("ObjectSizeGreaterThan", text(filter.sizeGreaterThan()));
    xml.optionalElement("ObjectSizeLessThan", text(filter.sizeLessThan()));
    if (filter.form() == LifecycleFilter.Form.AND) {
      xml.end();
    }
    xml.end();
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
