package dev.canopy.cloud.ec2;

import dev.canopy.api.xml.XmlWriter;

/**
 * An action given by its name and a lambda, so a family file lists its actions as
 * parse → one domain call → render without a class per action.
 */
record NamedAction(String name, Body body) implements Ec2Action {

  /** The body of one action. */
  @FunctionalInterface
  interface Body {
    void handle(Ec2Request request, XmlWriter xml);
  }

  static Ec2Action of(String name, Body body) {
    return new NamedAction(name, body);
  }

  @Override
  public void handle(Ec2Request request, XmlWriter response) {
    body.handle(request, response);
  }
}
