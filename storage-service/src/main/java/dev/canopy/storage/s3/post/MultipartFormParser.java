package dev.canopy.storage.s3.post;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A push parser of {@code multipart/form-data} for POST Object: bytes go in as they arrive, fields
 * come out whole (each bounded) and the file part comes out in pieces, never held whole. Parsing
 * stops at the end of the file part: S3 ignores whatever follows it. Not thread safe; pure (no I/O).
 */
public final class MultipartFormParser {

  /** What the parser found, in body order. */
  public interface Listener {
    void field(String name, String value);

    /** The part with a file name: its bytes follow through {@link #fileData}. */
    void fileStart(String name, String filename, String contentType);

    void fileData(byte[] data, int offset, int length);

    void fileEnd();
  }

  /** The body is not well-formed multipart/form-data, or a part passes a bound. */
  public static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  /** The headers of one part; S3's forms have a line or two. */
  static final int PART_HEADER_BYTES_MAX = 8 * 1024;

  private enum State { PREAMBLE, HEADERS, FIELD, FILE, AFTER_DELIMITER, DONE }

  private final byte[] delimiter;
  private final int fieldBytesMax;
  private final Listener listener;
  private State state = State.PREAMBLE;
  private byte[] buffer;
  private int length;
  private String partName;
  private int fieldBytesLeft;

  /**
   * @param boundary the boundary parameter of the request's Content-Type
   * @param fieldsBytesMax the bytes all fields together may take (the file excluded)
   */
  public MultipartFormParser(String boundary, int fieldsBytesMax, Listener listener) {
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.fieldBytesMax = fieldsBytesMax;
    this.fieldBytesLeft = fieldsBytesMax;
    this.listener = listener;
    // The first delimiter has no CRLF before it: pretend it had, so every delimiter looks the same.
    this.buffer = new byte[Math.max(64 * 1024, delimiter.length * 2)];
    buffer[0] = '\r';
    buffer[1] = '\n';
    this.length = 2;
  }

  /** The boundary of a {@code multipart/form-data} Content-Type, if it names one. */
  public static Optional<String> boundary(String contentType) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return Optional.empty();
    }
    return Optional.ofNullable(parameter(contentType, "boundary")).filter(b -> !b.isEmpty() && b.length() <= 70);
  }

  /** Whether the file part has ended (the rest of the body is ignored). */
  public boolean fileEnded() {
    return state == State.DONE;
  }

  public void feed(byte[] data, int offset, int count) throws MalformedException {
    if (state == State.DONE) {
      return;
    }
    append(data, offset, count);
    boolean progressed = true;
    while (progressed && state != State.DONE) {
      progressed = step();
    }
  }

  /** The body ended: it must have ended after the file part or after the closing delimiter. */
  public void finish() throws MalformedException {
    if (state != State.DONE) {
      throw new MalformedException("the body ended inside a part");
    }
  }

  private boolean step() throws MalformedException {
    switch (state) {
      case PREAMBLE -> {
        int at = indexOf(delimiter, 0);
        if (at < 0) {
          consume(Math.max(0, length - delimiter.length + 1)); // preamble bytes mean nothing
          return false;
        }
        consume(at + delimiter.length);
        state = State.AFTER_DELIMITER;
        return true;
      }
      case AFTER_DELIMITER -> {
        if (length < 2) {
          return false;
        }
        if (buffer[0] == '-' && buffer[1] == '-') {
          state = State.DONE; // the closing delimiter: no (more) parts
          return false;
        }
        int lineEnd = indexOf(new byte[] {'\r', '\n'}, 0);
        if (lineEnd < 0) {
          requireAtMost(PART_HEADER_BYTES_MAX, "a delimiter line");
          return false;
        }
        consume(lineEnd + 2); // transport padding after a delimiter is allowed, and ignored
        state = State.HEADERS;
        return true;
      }
      case HEADERS -> {
        int end = indexOf(new byte[] {'\r', '\n', '\r', '\n'}, 0);
        if (end < 0) {
          // A part without headers starts with the blank line right away.
          if (length >= 2 && buffer[0] == '\r' && buffer[1] == '\n') {
            throw new MalformedException("a part without Content-Disposition");
          }
          requireAtMost(PART_HEADER_BYTES_MAX, "part headers");
          return false;
        }
        String headers = new String(buffer, 0, end, StandardCharsets.UTF_8);
        consume(end + 4);
        startPart(headers);
        return true;
      }
      case FIELD -> {
        int at = indexOf(delimiter, 0);
        if (at < 0) {
          requireAtMost(fieldBytesLeft + delimiter.length, "form fields");
          return false;
        }
        if (at > fieldBytesLeft) {
          throw new MalformedException("form fields larger than " + fieldBytesMax + " bytes");
        }
        fieldBytesLeft -= at;
        listener.field(partName, new String(buffer, 0, at, StandardCharsets.UTF_8));
        consume(at + delimiter.length);
        state = State.AFTER_DELIMITER;
        return true;
      }
      case FILE -> {
        int at = indexOf(delimiter, 0);
        if (at < 0) {
          int safe = length - delimiter.length + 1; // a delimiter may begin in the last bytes
          if (safe > 0) {
            listener.fileData(buffer, 0, safe);
            consume(safe);
          }
          return false;
        }
        if (at > 0) {
          listener.fileData(buffer, 0, at);
        }
        consume(at + delimiter.length);
        state = State.DONE;
        listener.fileEnd();
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  private void startPart(String headers) throws MalformedException {
    String disposition = null;
    String contentType = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new MalformedException("a part header without a colon");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("content-disposition")) {
        disposition = value;
      } else if (name.equals("content-type")) {
        contentType = value;
      }
    }
    if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
      throw new MalformedException("a part without Content-Disposition: form-data");
    }
    partName = parameter(disposition, "name");
    if (partName == null) {
      throw new MalformedException("a part without a name");
    }
    String filename = parameter(disposition, "filename");
    if (filename != null) {
      state = State.FILE;
      listener.fileStart(partName, filename, contentType);
    } else {
      state = State.FIELD;
    }
  }

  /** A {@code ; name=value} or {@code ; name="value"} parameter of a header value. */
  static String parameter(String header, String name) {
    int i = header.indexOf(';');
    while (i >= 0 && i < header.length()) {
      int start = i + 1;
      while (start < header.length() && header.charAt(start) == ' ') {
        start++;
      }
      int equals = header.indexOf('=', start);
      if (equals < 0) {
        return null;
      }
      String key = header.substring(start, equals).trim();
      String value;
      int next;
      if (equals + 1 < header.length() && header.charAt(equals + 1) == '"') {
        StringBuilder quoted = new StringBuilder();
        int j = equals + 2;
        while (j < header.length() && header.charAt(j) != '"') {
          char c = header.charAt(j);
          if (c == '\\' && j + 1 < header.length()) {
            c = header.charAt(++j);
          }
          quoted.append(c);
          j++;
        }
        value = quoted.toString();
        next = header.indexOf(';', j);
      } else {
        next = header.indexOf(';', equals);
        value = header.substring(equals + 1, next < 0 ? header.length() : next).trim();
      }
      if (key.equalsIgnoreCase(name)) {
        return value;
      }
      i = next;
    }
    return null;
  }

  private void requireAtMost(int bytes, String what) throws MalformedException {
    if (length > bytes) {
      throw new MalformedException(what + " larger than allowed");
    }
  }

  private void append(byte[] data, int offset, int count) {
    if (length + count > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
    }
    System.arraycopy(data, offset, buffer, length, count);
    length += count;
  }

  private void consume(int count) {
    System.arraycopy(buffer, count, buffer, 0, length - count);
    length -= count;
  }

  private int indexOf(byte[] pattern, int from) {
    outer:
    for (int i = from; i <= length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (buffer[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
