package dev.canopy.deploy.it.fuzz;

import static dev.canopy.deploy.it.fuzz.FuzzValues.pick;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;

/** Hostile XML for the S3 operations that parse a body: bombs, external entities, depth, breadth, junk. */
final class XmlBombs {

  private static final List<String> ROOTS = List.of("Delete", "CompleteMultipartUpload", "CreateBucketConfiguration",
      "Tagging", "VersioningConfiguration", "CORSConfiguration", "LifecycleConfiguration");

  private XmlBombs() {}

  static byte[] any(RandomGenerator r) {
    String root = pick(r, ROOTS);
    String xml = switch (r.nextInt(12)) {
      case 0 -> billionLaughs(root);
      case 1 -> "<?xml version=\"1.0\"?><!DOCTYPE " + root + " [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><" + root
          + "><Object><Key>&x;</Key></Object></" + root + ">";
      case 2 -> "<!DOCTYPE " + root + " SYSTEM \"http://127.0.0.1:1/evil.dtd\"><" + root + "/>";
      case 3 -> nested(r, root);
      case 4 -> wide(r, root);
      case 5 -> "<" + root + ">" + "<Object><Key>" + FuzzValues.longText(r) + "</Key></Object></" + root + ">";
      case 6 -> "<" + root + " " + attributes(r) + "/>";
      case 7 -> completeWithNumbers(r);
      case 8 -> "<" + root + "><Object><Key>" + FuzzValues.word(r); // truncated
      case 9 -> "<?xml version=\"1.0\" encoding=\"" + pick(r, List.of("UTF-16", "EBCDIC", "nonsense", "UTF-32")) + "\"?><" + root + "/>";
      case 10 -> "<" + root + " xmlns=\"" + FuzzValues.word(r) + "\"><Quiet>" + FuzzValues.number(r) + "</Quiet><Object><Key>k</Key><VersionId>"
          + FuzzValues.number(r) + "</VersionId></Object></" + root + ">";
      default -> "<" + FuzzValues.word(r) + ">" + FuzzValues.word(r) + "</" + FuzzValues.word(r) + ">";
    };
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    return r.nextInt(8) == 0 ? FuzzValues.withInvalidUtf8(r, xml) : bytes;
  }

  private static String billionLaughs(String root) {
    StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE " + root + " [<!ENTITY l0 \"lol\">");
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
    }
    return dtd + "]><" + root + "><Object><Key>&l9;</Key></Object></" + root + ">";
  }

  /** Deeper than any parser's or walker's stack should be trusted with. */
  private static String nested(RandomGenerator r, String root) {
    int depth = r.nextInt(2) == 0 ? r.nextInt(1_000, 5_000) : r.nextInt(20_000, 100_000);
    String element = pick(r, List.of("Object", "Part", "a", root, "Key"));
    return "<" + root + ">" + ("<" + element + ">").repeat(depth) + "x" + ("</" + element + ">").repeat(depth) + "</" + root + ">";
  }

  /** Far more entries than S3 accepts in one request (1000 keys, 10000 parts). */
  private static String wide(RandomGenerator r, String root) {
    int count = r.nextInt(1_001, 20_000);
    String entry = root.equals("CompleteMultipartUpload")
        ? "<Part><PartNumber>1</PartNumber><ETag>\"e\"</ETag></Part>"
        : "<Object><Key>k</Key></Object>";
    return "<" + root + ">" + entry.repeat(count) + "</" + root + ">";
  }

  private static String attributes(RandomGenerator r) {
    StringBuilder sb = new StringBuilder();
    int count = r.nextInt(10, 20_000);
    for (int i = 0; i < count; i++) {
      sb.append("a").append(i).append("=\"v\" ");
    }
    return sb.toString();
  }

  private static String completeWithNumbers(RandomGenerator r) {
    StringBuilder sb = new StringBuilder("<CompleteMultipartUpload>");
    int parts = r.nextInt(1, 6);
    for (int i = 0; i < parts; i++) {
      sb.append("<Part><PartNumber>").append(FuzzValues.number(r)).append("</PartNumber><ETag>")
          .append(r.nextBoolean() ? "\"" + FuzzValues.word(r) + "\"" : FuzzValues.number(r)).append("</ETag>")
          .append(r.nextBoolean() ? "<ChecksumCRC32>" + FuzzValues.word(r) + "</ChecksumCRC32>" : "")
          .append("</Part>");
    }
    return sb.append("</CompleteMultipartUpload>").toString();
  }
}
