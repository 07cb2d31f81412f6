package dev.canopy.api.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class XmlWriterTest {

  @Test
  void escapesMarkupCharacters() {
    String xml = XmlWriter.fragment().element("Key", "a&b<c>d\"e'f").toString();

    assertThat(xml).isEqualTo("<Key>a&amp;b&lt;c&gt;d&quot;e&apos;f</Key>");
  }

  @Test
  void keepsWhitespaceControlsAsReferencesAndReplacesTheRest() throws Exception {
    String text = "tab\there\nline\rcr\u0001bell\u0000nul\uFFFEend \uD83D\uDE00 \uD800lone";
    byte[] xml = new XmlWriter().element("Key", text).toBytes();

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));

    assertThat(doc.getDocumentElement().getTextContent())
        .isEqualTo("tab\there\nline\rcr\uFFFDbell\uFFFDnul\uFFFDend \uD83D\uDE00 \uFFFDlone");
  }

  @Test
  void buildsNestedDocumentsWithAttributes() {
    String xml =
        new XmlWriter()
            .start("ListAllMyBucketsResult")
            .attribute("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/")
            .start("Buckets")
            .start("Bucket")
            .element("Name", "photos")
            .element("Count", 3)
            .optionalElement("Absent", null)
            .end()
            .end()
            .start("Empty")
            .end()
            .end()
            .toString();

    assertThat(xml)
        .isEqualTo(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Buckets><Bucket><Name>photos</Name><Count>3</Count></Bucket></Buckets><Empty/>"
                + "</ListAllMyBucketsResult>");
  }

  @Test
  void attributeValuesAreEscaped() {
    assertThat(XmlWriter.fragment().start("a").attribute("v", "\"<&>'").end().toString())
        .isEqualTo("<a v=\"&quot;&lt;&amp;&gt;&apos;\"/>");
  }

  @Test
  void refusesMisuse() {
    assertThatThrownBy(() -> XmlWriter.fragment().start("a").toString()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> XmlWriter.fragment().end()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> XmlWriter.fragment().start("bad name")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XmlWriter.fragment().start("a").text("x").attribute("b", "c"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRenderedPartIsAddedAsItIsInsideAnOpenElement() {
    XmlWriter.Rendered item = XmlWriter.fragment().start("item").element("name", "a<b").end().rendered();
    String xml = new XmlWriter().start("set").append(item).append(item).end().toString();

    assertThat(xml).endsWith("<set><item><name>a&lt;b</name></item><item><name>a&lt;b</name></item></set>");
  }

  @Test
  void onlyAClosedFragmentRendersAPartAndAPartGoesInsideAnElement() {
    assertThatThrownBy(() -> new XmlWriter().start("a").end().rendered()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> XmlWriter.fragment().start("a").rendered()).isInstanceOf(IllegalStateException.class);
    XmlWriter.Rendered part = XmlWriter.fragment().element("a", "x").rendered();
    assertThatThrownBy(() -> XmlWriter.fragment().append(part)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void utf8Bytes() {
    assertThat(XmlWriter.fragment().element("K", "é").toBytes())
        .isEqualTo("<K>é</K>".getBytes(StandardCharsets.UTF_8));
  }
}
