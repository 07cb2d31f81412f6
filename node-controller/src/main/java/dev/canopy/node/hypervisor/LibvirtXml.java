package dev.canopy.node.hypervisor;

import java.io.StringWriter;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A small DOM writer for libvirt's XML documents (networks, filters). Values go through the
 * serializer, so a name or address can never inject markup.
 */
public final class LibvirtXml {

  private final Document doc;
  private final Element root;

  private LibvirtXml(String rootName, String namespace) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      doc = f.newDocumentBuilder().newDocument();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
    }
    root = namespace == null ? doc.createElement(rootName) : doc.createElementNS(namespace, rootName);
    doc.appendChild(root);
  }

  public static LibvirtXml document(String rootName) {
    return new LibvirtXml(rootName, null);
  }

  public Element root() {
    return root;
  }

  /** A child element with attributes given as name, value pairs. */
  public Element child(Element parent, String name, String... attributes) {
    Element e = doc.createElement(name);
    for (int i = 0; i + 1 < attributes.length; i += 2) {
      e.setAttribute(attributes[i], DomainXml.xmlSafe(attributes[i], attributes[i + 1]));
    }
    parent.appendChild(e);
    return e;
  }

  /** A child element in a namespace (libvirt's per-driver extensions such as dnsmasq options). */
  public Element childNs(Element parent, String namespace, String qualifiedName, String... attributes) {
    Element e = doc.createElementNS(namespace, qualifiedName);
    for (int i = 0; i + 1 < attributes.length; i += 2) {
      e.setAttribute(attributes[i], DomainXml.xmlSafe(attributes[i], attributes[i + 1]));
    }
    parent.appendChild(e);
    return e;
  }

  public Element text(Element parent, String name, String value) {
    Element e = child(parent, name);
    e.setTextContent(DomainXml.xmlSafe(name, value));
    return e;
  }

  public String serialize() {
    return serialize(doc);
  }

  /** Any DOM document as libvirt reads it: no XML declaration, indented. */
  static String serialize(Document doc) {
    try {
      TransformerFactory tf = TransformerFactory.newInstance();
      tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
      Transformer t = tf.newTransformer();
      t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      t.setOutputProperty(OutputKeys.INDENT, "yes");
      StringWriter out = new StringWriter();
      t.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (TransformerException e) {
      throw new IllegalStateException("serializing a DOM built here cannot fail", e);
    }
  }
}
