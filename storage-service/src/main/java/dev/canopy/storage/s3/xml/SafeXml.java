package dev.canopy.storage.s3.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses request bodies from untrusted clients. DOCTYPE declarations are refused outright, which
 * rules out entity expansion (billion laughs) and external entities (XXE); XInclude and external
 * DTD/schema access are off as well. Bodies are size-limited by the caller before parsing.
 */
public final class SafeXml {

  /** The body is not well-formed XML (or has a DOCTYPE). */
  public static final class MalformedException extends Exception {
    MalformedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final DocumentBuilderFactory FACTORY = newFactory();

  private SafeXml() {}

  private static DocumentBuilderFactory newFactory() {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    try {
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK XML parser lacks a hardening feature", e);
    }
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
    factory.setNamespaceAware(true);
    return factory;
  }

  /** The document element of a body. */
  public static Element parse(byte[] body) throws MalformedException {
    try {
      DocumentBuilder builder;
      synchronized (FACTORY) {
        builder = FACTORY.newDocumentBuilder();
      }
      builder.setErrorHandler(SILENT); // the default handler prints to stderr
      return builder.parse(new ByteArrayInputStream(body)).getDocumentElement();
    } catch (SAXException | IOException e) {
      throw new MalformedException("malformed XML: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Child elements with a local name, in document order (namespace ignored, as S3 does). */
  public static List<Element> children(Element parent, String localName) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(localName(e))) {
        found.add(e);
      }
    }
    return found;
  }

  /** The text of the first child element with a local name. */
  public static Optional<String> childText(Element parent, String localName) {
    List<Element> found = children(parent, localName);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).getTextContent());
  }

  public static String localName(Element element) {
    return element.getLocalName() != null ? element.getLocalName() : element.getTagName();
  }

  private static final ErrorHandler SILENT = new ErrorHandler() {
    @Override
    public void warning(SAXParseException e) {}

    @Override
    public void error(SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
      throw e;
    }
  };
}
