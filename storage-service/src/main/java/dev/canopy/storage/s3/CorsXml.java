package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Errors;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.storage.backend.StorageErrors;
import dev.canopy.storage.s3.xml.SafeXml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * The {@code CORSConfiguration} document: parsed and checked from PutBucketCors, rendered for
 * GetBucketCors. The rendered text is also what is stored, and what {@link #parseStored} reads
 * back on every request carrying an Origin (parses are kept per text, so that costs a lookup).
 */
final class CorsXml {

  /** Distinct stored documents whose parse is kept; beyond, the least recently used is parsed again. */
  private static final int PARSES_CACHED_MAX = 1_000;
  private static final Map<String, CorsConfiguration> PARSES = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CorsConfiguration> eldest) {
      return size() > PARSES_CACHED_MAX;
    }
  };

  private CorsXml() {}

  /** A PutBucketCors body; MalformedXML or InvalidRequest as S3 answers a bad one. */
  static CorsConfiguration parse(byte[] body) {
    Element root = S3Xml.requestRoot(body, "CORSConfiguration");
    List<Element> ruleElements = SafeXml.children(root, "CORSRule");
    if (ruleElements.isEmpty() || ruleElements.size() > CorsConfiguration.RULES_MAX) {
      throw StorageErrors.malformedXml();
    }
    List<CorsRule> rules = new ArrayList<>(ruleElements.size());
    for (Element rule : ruleElements) {
      rules.add(rule(rule));
    }
    return new CorsConfiguration(rules);
  }

  private static CorsRule rule(Element rule) {
    List<String> methods = texts(rule, "AllowedMethod");
    List<String> origins = texts(rule, "AllowedOrigin");
    if (methods.isEmpty() || origins.isEmpty()) {
      throw StorageErrors.malformedXml();
    }
    for (String method : methods) {
      if (!CorsRule.METHODS.contains(method)) {
        throw S3Errors.invalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is " + method);
      }
    }
    for (String origin : origins) {
      if (!CorsRule.Wildcard.hasAtMostOne(origin)) {
        throw S3Errors.invalidRequest("AllowedOrigin \"" + origin + "\" can not have more than one wildcard.");
      }
    }
    List<String> headers = texts(rule, "AllowedHeader");
    for (String header : headers) {
      if (!CorsRule.Wildcard.hasAtMostOne(header)) {
        throw S3Errors.invalidRequest("AllowedHeader \"" + header + "\" can not have more than one wildcard.");
      }
    }
    String id = SafeXml.childText(rule, "ID").map(String::trim).orElse(null);
    Integer maxAge = SafeXml.childText(rule, "MaxAgeSeconds").map(CorsXml::seconds).orElse(null);
    return new CorsRule(id, methods, origins, headers, texts(rule, "ExposeHeader"), maxAge);
  }

  private static Integer seconds(String text) {
    try {
      return Integer.valueOf(text.trim());
    } catch (NumberFormatException e) {
      throw StorageErrors.malformedXml();
    }
  }

  private static List<String> texts(Element parent, String name) {
    return SafeXml.children(parent, name).stream().map(e -> e.getTextContent().trim()).toList();
  }

  /** The GetBucketCors answer, and the canonical text stored for the bucket. */
  static String render(CorsConfiguration configuration) {
    XmlWriter xml = S3Xml.document("CORSConfiguration");
    for (CorsRule rule : configuration.rules()) {
      xml.start("CORSRule").optionalElement("ID", rule.id());
      rule.allowedHeaders().forEach(h -> xml.element("AllowedHeader", h));
      rule.allowedMethods().forEach(m -> xml.element("AllowedMethod", m));
      rule.allowedOrigins().forEach(o -> xml.element("AllowedOrigin", o));
      rule.exposeHeaders().forEach(h -> xml.element("ExposeHeader", h));
      if (rule.maxAgeSeconds() != null) {
        xml.element("MaxAgeSeconds", rule.maxAgeSeconds());
      }
      xml.end();
    }
    return xml.end().toString();
  }

  /** A stored document (one {@link #render} wrote). */
  static CorsConfiguration parseStored(String stored) {
    synchronized (PARSES) {
      CorsConfiguration cached = PARSES.get(stored);
      if (cached != null) {
        return cached;
      }
    }
    CorsConfiguration parsed = parse(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    synchronized (PARSES) {
      PARSES.put(stored, parsed);
    }
    return parsed;
  }
}
