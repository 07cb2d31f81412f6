package dev.canopy.cloud.consoleapi;

import java.util.Objects;

/** An answer sent as it is (a CSV file, JSON already written) rather than serialised as JSON. */
public record TextBody(String contentType, String text) {

  public TextBody {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(text, "text");
  }
}
