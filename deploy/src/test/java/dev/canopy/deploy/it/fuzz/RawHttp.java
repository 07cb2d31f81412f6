package dev.canopy.deploy.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a plain socket: it writes exactly the target, headers and body
 * it is given (no encoding, no header rules), one request per connection, and reads the answer
 * until the server closes, within one deadline. Java's HttpClient refuses much of what a fuzzer
 * must send.
 */
final class RawHttp {

  /** An answer is never bigger than this in these tests (no large objects are stored). */
  private static final int ANSWER_BYTES_MAX = 16 * 1024 * 1024;

  /** The server answered: status, lower-case headers, the body (de-chunked). */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The server did not answer within the deadline. */
  static final class Hang extends IOException {
    Hang(String message) {
      super(message);
    }
  }

  private RawHttp() {}

  /** @param headers sent as given, Latin-1; {@code connection: close} and content-length are added */
  static Answer exchange(String host, int port, String method, String target, Map<String, String> headers, byte[] body,
      Duration timeout) throws IOException {
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      head.append("content-length: ").append(body.length).append("\r\n");
      head.append("connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before reading a refused body: read what it said.
      }
      byte[] raw = readAll(socket.getInputStream(), deadlineNanos);
      return parse(raw);
    } catch (SocketTimeoutException e) {
      throw new Hang("no answer within " + timeout);
    }
  }

  private static byte[] readAll(InputStream in, long deadlineNanos) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    while (true) {
      if (System.nanoTime() > deadlineNanos) {
        throw new Hang("the answer did not end before the deadline");
      }
      int n;
      try {
        n = in.read(buffer);
      } catch (java.net.SocketException e) {
        n = -1; // a reset after the answer was sent counts as its end
      }
      if (n < 0) {
        return answer.toByteArray();
      }
      answer.write(buffer, 0, n);
      if (answer.size() > ANSWER_BYTES_MAX) {
        throw new IOException("the answer exceeds " + ANSWER_BYTES_MAX + " bytes");
      }
    }
  }

  private static Answer parse(byte[] raw) throws IOException {
    Answer answer = parseOne(raw);
    // A 100 Continue (S3 sends one after authentication) comes before the real answer.
    while (answer.status() == 100) {
      int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      raw = Arrays.copyOfRange(raw, end + 4, raw.length);
      answer = parseOne(raw);
    }
    return answer;
  }

  private static Answer parseOne(byte[] raw) throws IOException {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new IOException("the connection closed without a complete answer (" + raw.length + " bytes)");
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] status = lines[0].split(" ", 3);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      body = dechunk(body);
    }
    return new Answer(Integer.parseInt(status[1]), headers, body);
  }

  private static byte[] dechunk(byte[] chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < chunked.length) {
      int lineEnd = indexOf(Arrays.copyOfRange(chunked, at, chunked.length), "\r\n".getBytes(StandardCharsets.ISO_8859_1));
      if (lineEnd < 0) {
        throw new IOException("a chunked answer ended inside a chunk header");
      }
      String size = new String(chunked, at, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int length = Integer.parseInt(size, 16);
      at += lineEnd + 2;
      if (length == 0) {
        return out.toByteArray();
      }
      out.write(chunked, at, Math.min(length, chunked.length - at));
      at += length + 2;
    }
    throw new IOException("a chunked answer ended without its last chunk");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    // Latin-1 maps each byte to one char, so a string search is a byte search.
    return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(new String(needle, StandardCharsets.ISO_8859_1));
  }
}
