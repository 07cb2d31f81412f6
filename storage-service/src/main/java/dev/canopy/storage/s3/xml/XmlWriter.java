package dev.canopy.storage.s3.xml;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Builds a small XML document in memory (S3 response documents are bounded: at most 1000 keys
 * or parts per page). Text and attribute values are escaped; names are trusted constants.
 */
public final class XmlWriter {

  private final StringBuilder out = new StringBuilder(256);
  private final Deque<String> open = new ArrayDeque<>();

  private XmlWriter() {}

  /** Starts a document whose root element declares {@code namespace} (null for none). */
  public static XmlWriter document(String root, String namespace) {
    XmlWriter writer = new XmlWriter();
    writer.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    return namespace == null ? writer.start(root) : writer.start(root, "xmlns", namespace);
  }

  /** Opens an element with attributes given as name, value pairs. */
  public XmlWriter start(String name, String... attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name/value pairs");
    }
    out.append('<').append(name);
    for (int i = 0; i < attributes.length; i += 2) {
      out.append(' ').append(attributes[i]).append("=\"");
      escape(attributes[i + 1]);
      out.append('"');
    }
    out.append('>');
    open.push(name);
    return this;
  }

  public XmlWriter end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** A text element; skipped entirely when {@code text} is null. */
  public XmlWriter element(String name, String text) {
    if (text != null) {
      out.append('<').append(name).append('>');
      escape(text);
      out.append("</").append(name).append('>');
    }
    return this;
  }

  /** Text inside the innermost open element. */
  public XmlWriter text(String text) {
    escape(text);
    return this;
  }

  public XmlWriter element(String name, long value) {
    return element(name, Long.toString(value));
  }

  public XmlWriter element(String name, boolean value) {
    return element(name, Boolean.toString(value));
  }

  /** Closes every open element and returns the document. */
  public String finish() {
    while (!open.isEmpty()) {
      end();
    }
    return out.toString();
  }

  private void escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        // Kept as references so that a parser does not normalize them away.
        case '\r' -> out.append("&#13;");
        case '\n' -> out.append("&#10;");
        case '\t' -> out.append("&#9;");
        default -> {
          if (c < 0x20) {
            out.append("&#").append((int) c).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
