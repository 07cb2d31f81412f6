package dev.canopy.storage.kv.riak;

import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Which Riak resource a request path names, with its bucket, key and link-walk steps decoded.
 * Path segments are percent-decoded as Riak does with its default {@code http_url_encoding = on};
 * an empty bucket or key names nothing.
 *
 * <pre>
 *   /ping                              PING
 *   /stats                             STATS
 *   /buckets/B/props                   PROPS
 *   /buckets/B/keys                    KEYS (GET lists, POST stores under a new key)
 *   /buckets/B/keys/K                  OBJECT
 *   /buckets/B/keys/K/b,t,acc/...      LINK_WALK
 *   /riak/B                            PROPS (GET, PUT) and KEYS (POST): Riak's older API
 *   /riak/B/K[/b,t,acc/...]            OBJECT, LINK_WALK
 *   /canopy/ring                       RING (Canopy's, not Riak's: the ring and its members)
 *   /canopy/ring/join, /canopy/ring/leave   RING_JOIN, RING_LEAVE (POST, JSON)
 * </pre>
 */
record RiakRoute(Resource resource, ApiStyle style, String bucket, String key, List<String> walk) {

  /** The resources and the methods each allows (the rest get 405 with an Allow header). */
  enum Resource {
    PING(Set.of(HttpMethod.GET, HttpMethod.HEAD)),
    STATS(Set.of(HttpMethod.GET, HttpMethod.HEAD)),
    PROPS(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE)),
    KEYS(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST)),
    OBJECT(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.POST, HttpMethod.DELETE)),
    LINK_WALK(Set.of(HttpMethod.GET, HttpMethod.HEAD)),
    RING(Set.of(HttpMethod.GET)),
    RING_JOIN(Set.of(HttpMethod.POST)),
    RING_LEAVE(Set.of(HttpMethod.POST)),
    NONE(Set.of());

    final Set<HttpMethod> methods;

    Resource(Set<HttpMethod> methods) {
      this.methods = methods;
    }
  }

  /** How the client addressed the object, so links and locations come back in the same form. */
  enum ApiStyle {
    BUCKETS,
    LEGACY;

    String objectPath(String bucket, String key) {
      return this == BUCKETS
          ? "/buckets/" + encode(bucket) + "/keys/" + encode(key)
          : "/riak/" + encode(bucket) + "/" + encode(key);
    }

    String bucketPath(String bucket) {
      return this == BUCKETS ? "/buckets/" + encode(bucket) : "/riak/" + encode(bucket);
    }
  }

  private static final RiakRoute NOWHERE = new RiakRoute(Resource.NONE, ApiStyle.BUCKETS, null, null, List.of());

  static RiakRoute parse(String rawPath, HttpMethod method) {
    String path = rawPath.endsWith("/") && rawPath.length() > 1 ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    if (!path.startsWith("/")) {
      return NOWHERE;
    }
    String[] parts = path.substring(1).split("/", -1);
    try {
      return switch (parts[0]) {
        case "ping" -> parts.length == 1 ? plain(Resource.PING) : NOWHERE;
        case "stats" -> parts.length == 1 ? plain(Resource.STATS) : NOWHERE;
        case "buckets" -> buckets(parts);
        case "riak" -> legacy(parts, method);
        case "canopy" -> canopy(parts);
        default -> NOWHERE;
      };
    } catch (IllegalArgumentException undecodable) {
      return NOWHERE;
    }
  }

  private static RiakRoute canopy(String[] parts) {
    if (parts.length < 2 || !parts[1].equals("ring") || parts.length > 3) {
      return NOWHERE;
    }
    if (parts.length == 2) {
      return plain(Resource.RING);
    }
    return switch (parts[2]) {
      case "join" -> plain(Resource.RING_JOIN);
      case "leave" -> plain(Resource.RING_LEAVE);
      default -> NOWHERE;
    };
  }

  private static RiakRoute plain(Resource resource) {
    return new RiakRoute(resource, ApiStyle.BUCKETS, null, null, List.of());
  }

  private static RiakRoute buckets(String[] parts) {
    if (parts.length < 3 || parts[1].isEmpty()) {
      return NOWHERE;
    }
    String bucket = decode(parts[1]);
    if (parts[2].equals("props") && parts.length == 3) {
      return new RiakRoute(Resource.PROPS, ApiStyle.BUCKETS, bucket, null, List.of());
    }
    if (!parts[2].equals("keys")) {
      return NOWHERE;
    }
    if (parts.length == 3) {
      return new RiakRoute(Resource.KEYS, ApiStyle.BUCKETS, bucket, null, List.of());
    }
    return object(ApiStyle.BUCKETS, bucket, parts, 3);
  }

  private static RiakRoute legacy(String[] parts, HttpMethod method) {
    if (parts.length < 2 || parts[1].isEmpty()) {
      return NOWHERE;
    }
    String bucket = decode(parts[1]);
    if (parts.length == 2) {
      Resource resource = method == HttpMethod.POST ? Resource.KEYS : Resource.PROPS;
      return new RiakRoute(resource, ApiStyle.LEGACY, bucket, null, List.of());
    }
    return object(ApiStyle.LEGACY, bucket, parts, 2);
  }

  private static RiakRoute object(ApiStyle style, String bucket, String[] parts, int keyAt) {
    if (parts[keyAt].isEmpty()) {
      return NOWHERE;
    }
    String key = decode(parts[keyAt]);
    if (parts.length == keyAt + 1) {
      return new RiakRoute(Resource.OBJECT, style, bucket, key, List.of());
    }
    // Steps stay encoded: each is split on ',' before its bucket and tag are decoded.
    List<String> steps = Arrays.asList(parts).subList(keyAt + 1, parts.length);
    return new RiakRoute(Resource.LINK_WALK, style, bucket, key, List.copyOf(steps));
  }

  static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  /** As Riak's {@code quote_plus}: a space becomes '+', every other reserved byte %XX. */
  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
