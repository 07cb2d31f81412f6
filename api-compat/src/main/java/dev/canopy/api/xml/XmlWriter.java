package dev.canopy.api.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * A small streaming XML builder for AWS responses. Text and attribute values are escaped;
 * characters XML 1.0 cannot carry at all (most C0 controls, unpaired surrogates, U+FFFE/U+FFFF)
 * become U+FFFD, because AWS clients parse with XML 1.0 parsers and one such character would make
 * them reject the whole response (S3 clients that need exact keys ask for encoding-type=url).
 * Not thread safe.
 *
 * <pre>{@code
 * String xml = new XmlWriter().start("Error").element("Code", "NoSuchKey").end().toString();
 * }</pre>
 */
public final class XmlWriter {

  private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]*");
  /** Bound on {@link #CHECKED_NAMES}: far above the element names AWS responses use. */
  private static final int CHECKED_NAMES_MAX = 4096;
  private static final java.util.Set<String> CHECKED_NAMES = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final StringBuilder out = new StringBuilder(256);
  private final Deque<String> open = new ArrayDeque<>();
  private final boolean document;
  private boolean inStartTag;

  /** A document writer: starts with the XML declaration, as every AWS response does. */
  public XmlWriter() {
    this(true);
  }

  private XmlWriter(boolean declaration) {
    document = declaration;
    out.append(declaration ? DECLARATION : "");
  }

  /** A writer for a fragment, without the declaration. */
  public static XmlWriter fragment() {
    return new XmlWriter(false);
  }

  /** Opens an element; attributes may follow until the next content. */
  public XmlWriter start(String name) {
    closeStartTag();
    out.append('<').append(checkName(name));
    open.push(name);
    inStartTag = true;
    return this;
  }

  /** Adds an attribute to the element just started (e.g. {@code xmlns}). */
  public XmlWriter attribute(String name, String value) {
    if (!inStartTag) {
      throw new IllegalStateException("attribute '" + name + "' outside a start tag");
    }
    out.append(' ').append(checkName(name)).append("=\"");
    escape(value);
    out.append('"');
    return this;
  }

  /** Escaped character data inside the current element. */
  public XmlWriter text(String text) {
    if (open.isEmpty()) {
      throw new IllegalStateException("text outside the root element");
    }
    closeStartTag();
    escape(text);
    return this;
  }

  /** {@code <name>text</name>}. */
  public XmlWriter element(String name, String text) {
    return start(name).text(text).end();
  }

  /** {@code <name>value</name>} for numbers and booleans. */
  public XmlWriter element(String name, Object value) {
    return element(name, String.valueOf(value));
  }

  /** Writes the element only when {@code text} is not null (AWS omits absent fields). */
  public XmlWriter optionalElement(String name, String text) {
    return text == null ? this : element(name, text);
  }

  /** Adds a part rendered earlier ({@link #rendered}) inside the current element, as it is. */
  public XmlWriter append(Rendered part) {
    if (open.isEmpty()) {
      throw new IllegalStateException("a rendered part outside the root element");
    }
    closeStartTag();
    out.append(part.xml);
    return this;
  }

  /**
   * What this fragment writer wrote, whole, for parts rendered once and added to many documents
   * ({@link #append}). Every element must be closed.
   */
  public Rendered rendered() {
    if (document) {
      throw new IllegalStateException("a document with its declaration is not a part: render parts with fragment()");
    }
    return new Rendered(toString());
  }

  /** Closes the innermost open element. */
  public XmlWriter end() {
    if (open.isEmpty()) {
      throw new IllegalStateException("end() without an open element");
    }
    String name = open.pop();
    if (inStartTag) {
      out.append("/>");
    } else {
      out.append("</").append(name).append('>');
    }
    inStartTag = false;
    return this;
  }

  /** The document; every element must be closed. */
  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed element <" + open.peek() + ">");
    }
    return out.toString();
  }

  public byte[] toBytes() {
    return toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Elements a fragment writer rendered, every one closed and its text escaped: only {@link
   * #rendered} makes one, so {@link #append} keeps a document well formed.
   */
  public static final class Rendered {
    private final String xml;

    private Rendered(String xml) {
      this.xml = xml;
    }

    @Override
    public String toString() {
      return xml;
    }
  }

  private void closeStartTag() {
    if (inStartTag) {
      out.append('>');
      inStartTag = false;
    }
  }

  private static String checkName(String name) {
    // Names come from code, so few: each is checked once (a regex per element was the largest cost
    // of rendering a page of 1,000 instances). A bounded set: past it, names are checked each time.
    if (CHECKED_NAMES.contains(name)) {
      return name;
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not an XML name: " + name);
    }
    if (CHECKED_NAMES.size() < CHECKED_NAMES_MAX) {
      CHECKED_NAMES.add(name);
    }
    return name;
  }

  private void escape(String s) {
    if (plain(s)) {
      // Most values (ids, states, times) need no escaping: one copy instead of a switch per character.
      out.append(s);
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        // References keep these through attribute-value and line-end normalisation.
        case '\t', '\n', '\r' -> out.append("&#").append((int) c).append(';');
        default -> {
          boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
          if (pair) {
            out.append(c).append(s.charAt(++i));
          } else {
            out.append(c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF ? '\uFFFD' : c);
          }
        }
      }
    }
  }

  /** True when every character stands for itself: printable ASCII other than the five XML escapes. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') {
        return false;
      }
    }
    return true;
  }
}
