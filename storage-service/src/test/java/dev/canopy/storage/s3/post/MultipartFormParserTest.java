package dev.canopy.storage.s3.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartFormParserTest {

  private static final String BOUNDARY = "xYzZY";

  /** Everything the parser reported, in order; file bytes gathered. */
  private static final class Recorder implements MultipartFormParser.Listener {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream file = new ByteArrayOutputStream();
    int largestPiece;

    @Override
    public void field(String name, String value) {
      events.add(name + "=" + value);
    }

    @Override
    public void fileStart(String name, String filename, String contentType) {
      events.add("file " + name + " " + filename + " " + contentType);
    }

    @Override
    public void fileData(byte[] data, int offset, int length) {
      file.write(data, offset, length);
      largestPiece = Math.max(largestPiece, length);
    }

    @Override
    public void fileEnd() {
      events.add("end");
    }
  }

  private static byte[] form(byte[] file) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("preamble\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuser/${filename}\r\n--"
        + BOUNDARY + "\r\ncontent-disposition: form-data; name=\"x-amz-meta-note\"\r\n\r\nline one\r\nline two\r\n--" + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".bin\"\r\nContent-Type: image/png\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nignored\r\n--" + BOUNDARY + "--\r\n")
        .getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }

  private static Recorder parse(byte[] body, int piece) throws Exception {
    Recorder recorder = new Recorder();
    MultipartFormParser parser = new MultipartFormParser(BOUNDARY, 20 * 1024, recorder);
    for (int at = 0; at < body.length; at += piece) {
      parser.feed(body, at, Math.min(piece, body.length - at));
    }
    parser.finish();
    return recorder;
  }

  @Test
  void fieldsComeWholeAndTheFileInPiecesWhateverTheChunking() throws Exception {
    byte[] file = new byte[300_000];
    new Random(7).nextBytes(file);
    // Delimiter-like bytes inside the file must stay file bytes.
    byte[] lookalike = ("\r\n--" + BOUNDARY.substring(0, 4)).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(lookalike, 0, file, 1000, lookalike.length);
    for (int piece : new int[] {1, 7, 4096, 65_536, 1_000_000}) {
      Recorder recorder = parse(form(file), piece);

      assertThat(recorder.events).as("pieces of %d", piece).containsExactly("key=user/${filename}",
          "x-amz-meta-note=line one\r\nline two", "file file a \"b\".bin image/png", "end");
      assertThat(recorder.file.toByteArray()).isEqualTo(file);
      assertThat(recorder.largestPiece).isLessThanOrEqualTo(Math.max(piece, 64 * 1024) + 64);
    }
  }

  @Test
  void anEmptyFileIsAFile() throws Exception {
    Recorder recorder = parse(form(new byte[0]), 5);
    assertThat(recorder.events).endsWith("end");
    assertThat(recorder.file.size()).isZero();
  }

  @Test
  void aFormWithoutFileEndsAtItsClosingDelimiter() throws Exception {
    Recorder recorder = parse(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--" + BOUNDARY + "--")
        .getBytes(StandardCharsets.UTF_8), 3);
    assertThat(recorder.events).containsExactly("key=k");
  }

  @Test
  void fieldsLargerThanTheirBoundAreMalformed() {
    String big = "v".repeat(20 * 1024 + 1);
    byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\n" + big + "\r\n--" + BOUNDARY + "--")
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> parse(body, 1024)).isInstanceOf(MultipartFormParser.MalformedException.class);
  }

  @Test
  void brokenBodiesAreMalformed() {
    assertThatThrownBy(() -> parse(("--" + BOUNDARY + "\r\nX-Other: 1\r\n\r\nv\r\n--" + BOUNDARY + "--").getBytes(StandardCharsets.UTF_8), 4))
        .isInstanceOf(MultipartFormParser.MalformedException.class);
    assertThatThrownBy(() -> parse(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nunterminated")
        .getBytes(StandardCharsets.UTF_8), 4)).isInstanceOf(MultipartFormParser.MalformedException.class);
    assertThatThrownBy(() -> parse("no delimiter at all".getBytes(StandardCharsets.UTF_8), 4))
        .isInstanceOf(MultipartFormParser.MalformedException.class);
  }

  @Test
  void theBoundaryComesFromAFormContentType() {
    assertThat(MultipartFormParser.boundary("multipart/form-data; boundary=----abc")).hasValue("----abc");
    assertThat(MultipartFormParser.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"q r\"")).hasValue("q r");
    assertThat(MultipartFormParser.boundary("multipart/form-data")).isEmpty();
    assertThat(MultipartFormParser.boundary("application/x-www-form-urlencoded")).isEmpty();
    assertThat(MultipartFormParser.boundary(null)).isEmpty();
  }
}
