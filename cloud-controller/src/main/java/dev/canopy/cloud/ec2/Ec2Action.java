package dev.canopy.cloud.ec2;

import dev.canopy.api.xml.XmlWriter;

/**
 * One EC2 action: parse the request, make one domain call, render the result inside the
 * response element (the envelope and requestId are written by the server). Errors the client
 * can act on are thrown as {@link dev.canopy.api.error.AwsException}.
 */
public interface Ec2Action {

  /** The Query {@code Action} name, e.g. {@code DescribeRegions}. */
  String name();

  void handle(Ec2Request request, XmlWriter response);
}
