package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.Link;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a link walk, {@code /bucket,tag,keep} each, as Riak reads them: {@code _} matches
 * any bucket or tag; {@code keep} is 1 or 0, and by default only the last step's objects are
 * returned (a walk of one step always returns its objects).
 */
record LinkWalkSteps(List<Step> steps) {

  /** Beyond this many steps a walk is refused: each step is a round of reads. */
  static final int STEPS_MAX = 16;

  /** One step: a null bucket or tag is the wildcard. */
  record Step(String bucket, String tag, boolean keep) {
    boolean follows(Link link) {
      return (bucket == null || bucket.equals(link.bucket())) && (tag == null || tag.equals(link.tag()));
    }
  }

  static LinkWalkSteps parse(List<String> segments) {
    if (segments.isEmpty() || segments.size() > STEPS_MAX) {
      throw malformed();
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      String[] fields = segments.get(i).split(",", -1);
      if (fields.length != 3 || fields[0].isEmpty() || fields[1].isEmpty() || fields[2].isEmpty()) {
        throw malformed();
      }
      boolean last = i == segments.size() - 1;
      boolean keep = switch (fields[2]) {
        case "1" -> true;
        case "0" -> false;
        default -> last;
      };
      steps.add(new Step(wildcard(fields[0]), wildcard(fields[1]), keep));
    }
    if (steps.size() == 1 && !steps.get(0).keep()) {
      Step only = steps.get(0);
      steps.set(0, new Step(only.bucket(), only.tag(), true));
    }
    return new LinkWalkSteps(List.copyOf(steps));
  }

  private static String wildcard(String field) {
    return field.equals("_") ? null : RiakRoute.decode(field);
  }

  private static RiakProblem malformed() {
    return RiakProblem.badRequest("Invalid link walk query submitted. Valid link walk query format is: "
        + "/riak/some_bucket/some_key/<bucket>,<riaktag>,0|1/...");
  }
}
