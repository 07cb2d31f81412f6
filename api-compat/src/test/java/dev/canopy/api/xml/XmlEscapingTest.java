package dev.canopy.api.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Error;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.error.S3Error;
import dev.canopy.api.error.S3Errors;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Whatever text a response carries (an object key, a tag value, an error message echoing a
 * client's input), a strict XML 1.0 parser, as every AWS SDK uses, reads the document and gets
 * the text back: exactly, where XML can carry it; with U+FFFD in place of each character it
 * cannot. And the two error envelopes have exactly the shape SDKs unmarshal.
 */
class XmlEscapingTest {

  private static Document parse(byte[] xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
  }

  /** What XML 1.0 can carry of {@code s}, each character it cannot as U+FFFD. */
  private static String carried(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF)) {
        out.append(c);
      } else {
        out.append('\uFFFD');
      }
    }
    return out.toString();
  }

  /** Characters weighted towards the awkward ones: controls, markup, surrogates, non-characters. */
  private static String awkward(Random r, int length) {
    char[] pool = {'\0', '\u0001', '\u001f', '\t', '\n', '\r', '<', '>', '&', '"', '\'', ']', '\u007f', '\u0085',
        '\u2028', '\uFFFE', '\uFFFF', '\uFFFD', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a', ' ', 'é', '€'};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int pick = r.nextInt(4);
      if (pick == 0) {
        sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // a proper pair
      } else if (pick == 1) {
        sb.append((char) r.nextInt(0x10000));
      } else {
        sb.append(pool[r.nextInt(pool.length)]);
      }
    }
    return sb.toString();
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anyTextSurvivesAStrictParserAsTextAndAsAnAttribute(long seed) throws Exception {
    String text = awkward(new Random(seed), 1 + (int) (seed % 60));
    byte[] xml = new XmlWriter().start("Doc").attribute("v", text).element("Key", text).end().toBytes();

    Element root = parse(xml).getDocumentElement();

    assertThat(root.getAttribute("v")).isEqualTo(carried(text));
    assertThat(root.getElementsByTagName("Key").item(0).getTextContent()).isEqualTo(carried(text));
  }

  @Test
  void aSurrogatePairIsKeptAndItsHalvesAloneAreReplaced() throws Exception {
    String emoji = "\uD83D\uDE00";
    String text = emoji + "\uD83D" + "x" + "\uDE00" + emoji + "\uD83D";

    String parsed = parse(new XmlWriter().element("K", text).toBytes()).getDocumentElement().getTextContent();

    assertThat(parsed).isEqualTo(emoji + "\uFFFDx\uFFFD" + emoji + "\uFFFD");
  }

  @Test
  void cdataEndAndEntityLookalikesAreText() throws Exception {
    String text = "]]> &amp; &#0; <![CDATA[x]]> <!-- c -->";

    assertThat(parse(new XmlWriter().element("K", text).toBytes()).getDocumentElement().getTextContent())
        .isEqualTo(text);
  }

  @Test
  void carriageReturnsAndTabsInAttributesAreNotNormalisedAway() throws Exception {
    String text = "a\r\nb\tc\rd";

    assertThat(parse(new XmlWriter().start("K").attribute("v", text).end().toBytes()).getDocumentElement().getAttribute("v"))
        .isEqualTo(text);
  }

  private static List<String> childNames(Node node) {
    List<String> names = new ArrayList<>();
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeType() == Node.ELEMENT_NODE) {
        names.add(c.getNodeName());
      } else {
        assertThat(c.getNodeType()).as("only elements between elements").isNotEqualTo(Node.TEXT_NODE);
      }
    }
    return names;
  }

  private static String child(Node node, String name) {
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeName().equals(name)) {
        return c.getTextContent();
      }
    }
    throw new AssertionError("no <" + name + "> in <" + node.getNodeName() + ">");
  }

  @Test
  void theS3ErrorEnvelopeIsErrorWithCodeMessageResourceRequestId() throws Exception {
    String message = "Key \u0000<evil>\r\n\uD800 is bad";
    AwsException e = S3Error.INVALID_ARGUMENT.exception(message);

    Document d = parse(S3Errors.toXml(e, "/bucket/a&b\u0001", "REQ123").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Element root = d.getDocumentElement();

    assertThat(root.getNodeName()).isEqualTo("Error");
    assertThat(root.getNamespaceURI()).isNull();
    assertThat(childNames(root)).containsExactly("Code", "Message", "Resource", "RequestId");
    assertThat(child(root, "Code")).isEqualTo("InvalidArgument");
    assertThat(child(root, "Message")).isEqualTo(carried(message));
    assertThat(child(root, "Resource")).isEqualTo("/bucket/a&b\uFFFD");
    assertThat(child(root, "RequestId")).isEqualTo("REQ123");
  }

  @Test
  void theS3ErrorEnvelopeWithoutResourceOmitsIt() throws Exception {
    Element root =
        parse(S3Errors.toXml(S3Error.ACCESS_DENIED.exception(), null, "R").getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .getDocumentElement();

    assertThat(childNames(root)).containsExactly("Code", "Message", "RequestId");
    assertThat(child(root, "Message")).isEqualTo("Access Denied");
  }

  @Test
  void theEc2ErrorEnvelopeIsResponseErrorsErrorThenRequestIdWithCapitalD() throws Exception {
    String message = "Value (\u0007<x>) for parameter InstanceId.1 is invalid.";
    AwsException e = Ec2Error.INVALID_PARAMETER_VALUE.exception(message);

    Element root = parse(Ec2Errors.toXml(e, "req-1").getBytes(java.nio.charset.StandardCharsets.UTF_8)).getDocumentElement();

    assertThat(root.getNodeName()).isEqualTo("Response");
    assertThat(childNames(root)).containsExactly("Errors", "RequestID");
    Node errors = root.getElementsByTagName("Errors").item(0);
    assertThat(childNames(errors)).containsExactly("Error");
    Node error = errors.getFirstChild();
    assertThat(childNames(error)).containsExactly("Code", "Message");
    assertThat(child(error, "Code")).isEqualTo("InvalidParameterValue");
    assertThat(child(error, "Message")).isEqualTo(carried(message));
    assertThat(child(root, "RequestID")).isEqualTo("req-1");
  }

  @Test
  void aNullMessageIsAnEmptyMessageElementInBothEnvelopes() throws Exception {
    AwsException bare = new AwsException(400, "Custom", null);

    Element s3 = parse(S3Errors.toXml(bare, null, "r").getBytes(java.nio.charset.StandardCharsets.UTF_8)).getDocumentElement();
    Element ec2 = parse(Ec2Errors.toXml(bare, "r").getBytes(java.nio.charset.StandardCharsets.UTF_8)).getDocumentElement();

    assertThat(child(s3, "Message")).isEmpty();
    assertThat(ec2.getElementsByTagName("Message").item(0).getTextContent()).isEmpty();
  }

  @Test
  void everyEnvelopeStartsWithTheUtf8Declaration() {
    assertThat(S3Errors.toXml(S3Error.NO_SUCH_KEY.exception(), null, "r")).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    assertThat(Ec2Errors.toXml(Ec2Error.INVALID_PARAMETER_VALUE.exception("m"), "r"))
        .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  }
}
