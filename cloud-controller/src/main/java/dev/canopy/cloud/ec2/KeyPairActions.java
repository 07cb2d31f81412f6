package dev.canopy.cloud.ec2;

import dev.canopy.cloud.resources.Filters;
import dev.canopy.api.query.QueryParams;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.keypairs.CreatedKeyPair;
import dev.canopy.cloud.keypairs.KeyPair;
import dev.canopy.cloud.keypairs.KeyPairService;
import dev.canopy.cloud.tags.TagStore;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair. */
public final class KeyPairActions {

  /** MillisecondDateTime on the wire, always with milliseconds, as AWS writes it. */
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The filters DescribeKeyPairs answers (besides {@code tag:KEY}); kept beside its switch. */
  static final java.util.Set<String> KEY_PAIR_FILTERS = java.util.Set.of("key-name", "key-pair-id", "fingerprint", "key-type",
      "tag-key", "tag-value");

  private KeyPairActions() {}

  public static List<Ec2Action> of(KeyPairService keyPairs, TagStore tags) {
    return List.of(
        NamedAction.of("CreateKeyPair", (r, xml) -> {
          QueryParams p = r.params();
          CreatedKeyPair created = keyPairs.create(r.principal().accountId(), p.required("KeyName"),
              p.first("KeyType").orElse("rsa"), p.first("KeyFormat").orElse("pem"),
              Ec2Tags.fromSpecifications(p.tree(), KeyPairService.RESOURCE_TYPE));
          KeyPair k = created.keyPair();
          xml.element("keyName", k.keyName()).element("keyFingerprint", k.fingerprint())
              .element("keyMaterial", created.privateKeyPem()).element("keyPairId", k.keyPairId());
          Ec2Tags.render(xml, tags.tagsOf(k.accountId(), k.keyPairId()));
        }),
        NamedAction.of("ImportKeyPair", (r, xml) -> {
          QueryParams p = r.params();
          KeyPair k = keyPairs.importKey(r.principal().accountId(), p.required("KeyName"),
              decodeMaterial(p.required("PublicKeyMaterial")),
              Ec2Tags.fromSpecifications(p.tree(), KeyPairService.RESOURCE_TYPE));
          xml.element("keyFingerprint", k.fingerprint()).element("keyName", k.keyName()).element("keyPairId", k.keyPairId());
          Ec2Tags.render(xml, tags.tagsOf(k.accountId(), k.keyPairId()));
        }),
        NamedAction.of("DescribeKeyPairs", (r, xml) -> {
          QueryParams p = r.params();
          String account = r.principal().accountId();
          boolean includePublicKey = p.bool("IncludePublicKey").orElse(false);
          var filters = p.filters();
          Filters.requireKnown(filters, KEY_PAIR_FILTERS);
          List<KeyPair> found = keyPairs.describe(account, p.list("KeyName"), p.list("KeyPairId"));
          xml.start("keySet");
          for (KeyPair k : found) {
            Map<String, String> keyTags = tags.tagsOf(account, k.keyPairId());
            boolean shown = Filters.matchAll(filters, name -> switch (name) {
              case "key-name" -> List.of(k.keyName());
              case "key-pair-id" -> List.of(k.keyPairId());
              case "fingerprint" -> List.of(k.fingerprint());
              case "key-type" -> List.of(k.keyType());
              default -> {
                List<String> values = Ec2Tags.filterValues(name, keyTags);
                if (values == null) {
                  throw Ec2Tags.unknownFilter(name);
                }
                yield values;
              }
            });
            if (shown) {
              render(xml, k, keyTags, includePublicKey);
            }
          }
          xml.end();
        }),
        NamedAction.of("DeleteKeyPair", (r, xml) -> {
          QueryParams p = r.params();
          var deleted = keyPairs.delete(r.principal().accountId(), p.first("KeyName"), p.first("KeyPairId"));
          xml.element("return", true);
          deleted.ifPresent(id -> xml.element("keyPairId", id));
        }));
  }

  private static void render(XmlWriter xml, KeyPair k, Map<String, String> keyTags, boolean includePublicKey) {
    xml.start("item")
        .element("keyPairId", k.keyPairId())
        .element("keyFingerprint", k.fingerprint())
        .element("keyName", k.keyName())
        .element("keyType", k.keyType());
    Ec2Tags.render(xml, keyTags);
    if (includePublicKey) {
      xml.element("publicKey", k.publicKey());
    }
    xml.element("createTime", TIME.format(k.createTime())).end();
  }

  /**
   * PublicKeyMaterial is a blob, so SDKs and the CLI send it base64-encoded; a raw key line (old
   * hand-written clients) has spaces and so cannot be base64, and is taken as it is.
   */
  private static byte[] decodeMaterial(String material) {
    try {
      return Base64.getDecoder().decode(material.replaceAll("\\s*[\\r\\n]\\s*", ""));
    } catch (IllegalArgumentException e) {
      return material.getBytes(StandardCharsets.UTF_8);
    }
  }
}
