package dev.canopy.cloud.consoleapi;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/**
 * An answer written as it is made rather than serialised as JSON, and sent on in chunks: a month's
 * bill of a large account is hundreds of megabytes of text, which must never sit in memory whole.
 */
public record StreamedBody(String contentType, Writing writing, String downloadName) {

  /** An answer the browser shows or keeps as it likes. */
  public StreamedBody(String contentType, Writing writing) {
    this(contentType, writing, null);
  }

  /** The same answer as a download ({@code Content-Disposition: attachment}) named {@code name} (a plain file name). */
  public StreamedBody downloadedAs(String name) {
    return new StreamedBody(contentType, writing, name);
  }

  /** Writes the body; runs on the call's worker thread. */
  @FunctionalInterface
  public interface Writing {
    void writeTo(Writer out) throws IOException;
  }

  public StreamedBody {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(writing, "writing");
  }
}
