package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Request bodies written to attack the XML parser or its caller, signed as a real client signs
 * them: entities, DOCTYPEs, the wrong document and oversized bodies are refused with S3's codes,
 * nothing of the host leaks into the answer, and the objects and uploads they aimed at stay.
 */
class S3HostileXmlBodiesTest {

  private static final String BUCKET = "hostile";

  @RegisterExtension static final SharedS3Server s3 = SharedS3Server.withBucket(BUCKET);

  @BeforeAll
  static void objects() {
    s3.alice().putObject(b -> b.bucket(BUCKET).key("target"), RequestBody.fromString("still here"));
  }

  private static HttpResponse<String> deleteObjects(String xml) throws Exception {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
    return s3.http().send("POST", "/" + BUCKET + "?delete", body, "Content-MD5", md5);
  }

  private static String targetContent() {
    return s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("target")).asUtf8String();
  }

  private static void assertRefused(HttpResponse<String> answer, int status, String code) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.body()).contains("<Code>" + code + "</Code>");
    assertThat(answer.body()).as("nothing of the host or the parser").doesNotContain("root:", "Exception", "DOCTYPE", "\tat ");
  }

  @Test
  void anExternalEntityNamingAHostFileIsMalformedXmlAndReadsNothing() throws Exception {
    HttpResponse<String> answer = deleteObjects("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<Delete><Object><Key>&x;</Key></Object><Object><Key>target</Key></Object></Delete>");

    assertRefused(answer, 400, "MalformedXML");
    assertThat(targetContent()).as("no key of the document was deleted").isEqualTo("still here");
  }

  @Test
  void nestedEntitiesThatWouldExpandToGigabytesAreMalformedXml() throws Exception {
    StringBuilder doctype = new StringBuilder("<!DOCTYPE d [<!ENTITY a0 \"lol\">");
    for (int i = 1; i < 10; i++) {
      doctype.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
    }
    doctype.append("]>");

    HttpResponse<String> answer = deleteObjects(doctype + "<Delete><Object><Key>&a9;</Key></Object></Delete>");

    assertRefused(answer, 400, "MalformedXML");
    assertThat(targetContent()).isEqualTo("still here");
  }

  @Test
  void aCompletionBodyThatIsAnotherRequestsDocumentIsMalformedXmlAndTheUploadStays() throws Exception {
    String id = s3.alice().createMultipartUpload(b -> b.bucket(BUCKET).key("assembled")).uploadId();
    String etag = s3.alice().uploadPart(b -> b.bucket(BUCKET).key("assembled").uploadId(id).partNumber(1),
        RequestBody.fromString("only part")).eTag();

    HttpResponse<String> answer = s3.http().send("POST", "/" + BUCKET + "/assembled?uploadId=" + id,
        ("<Delete><Part><PartNumber>1</PartNumber><ETag>" + etag + "</ETag></Part></Delete>").getBytes(StandardCharsets.UTF_8));

    assertRefused(answer, 400, "MalformedXML");
    s3.alice().completeMultipartUpload(b -> b.bucket(BUCKET).key("assembled").uploadId(id)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    assertThat(s3.alice().getObjectAsBytes(b -> b.bucket(BUCKET).key("assembled")).asUtf8String()).isEqualTo("only part");
  }

  @Test
  void aDeleteBodyPastItsBoundIsMaxMessageLengthExceeded() throws Exception {
    StringBuilder xml = new StringBuilder("<Delete>");
    while (xml.length() <= 2 * 1024 * 1024) {
      xml.append("<Object><Key>padding-key-that-is-not-there</Key></Object>");
    }
    xml.append("<Object><Key>target</Key></Object></Delete>");

    HttpResponse<String> answer = deleteObjects(xml.toString());

    assertRefused(answer, 400, "MaxMessageLengthExceeded");
    assertThat(targetContent()).isEqualTo("still here");
  }

  @Test
  void commentsAndProcessingInstructionsAreLegalXmlAndTheRequestIsServed() throws Exception {
    // Comments and processing instructions are legal XML: the keys around them are still read.
    HttpResponse<String> answer = deleteObjects("<Delete><Quiet>true</Quiet><!-- a comment --><?pi data?>"
        + "<Object><Key>not-there-either</Key></Object></Delete>");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).doesNotContain("<Error>");
    assertThat(targetContent()).isEqualTo("still here");
  }
}
