package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.canopy.api.error.AwsException;
import org.junit.jupiter.api.Test;

class RequestTargetTest {

  @Test
  void pathStyle() {
    assertThat(RequestTarget.parse("127.0.0.1:8779", "/", "s3.local")).isEqualTo(new RequestTarget(null, null));
    assertThat(RequestTarget.parse("127.0.0.1:8779", "/b", "s3.local")).isEqualTo(new RequestTarget("b", null));
    assertThat(RequestTarget.parse("127.0.0.1:8779", "/b/", "s3.local")).isEqualTo(new RequestTarget("b", null));
    assertThat(RequestTarget.parse("h", "/b/dir/a%20b+c%E2%82%AC", "")).isEqualTo(new RequestTarget("b", "dir/a b+c€"));
    assertThat(RequestTarget.parse("h", "/b/a//b/", "")).isEqualTo(new RequestTarget("b", "a//b/"));
  }

  @Test
  void virtualHostStyle() {
    assertThat(RequestTarget.parse("photos.s3.local:9000", "/a/b.jpg", "s3.local"))
        .isEqualTo(new RequestTarget("photos", "a/b.jpg"));
    assertThat(RequestTarget.parse("my.dotted.bucket.S3.LOCAL", "/", "s3.local"))
        .isEqualTo(new RequestTarget("my.dotted.bucket", null));
    // The base domain itself is the service endpoint, path style.
    assertThat(RequestTarget.parse("s3.local:9000", "/b/k", "s3.local")).isEqualTo(new RequestTarget("b", "k"));
  }

  @Test
  void badEscapesAreInvalidUri() {
    assertThatThrownBy(() -> RequestTarget.parse("h", "/b/%zz", ""))
        .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidURI"));
  }

  @Test
  void routing() {
    RequestTarget bucket = new RequestTarget("b", null);
    RequestTarget object = new RequestTarget("b", "k");
    assertThat(S3Router.route("GET", bucket, QueryParams.parse("list-type=2&prefix=a"), false)).isEqualTo(Operation.LIST_OBJECTS_V2);
    assertThat(S3Router.route("GET", bucket, QueryParams.parse("prefix=a"), false)).isEqualTo(Operation.LIST_OBJECTS);
    assertThat(S3Router.route("GET", bucket, QueryParams.parse("location"), false)).isEqualTo(Operation.GET_BUCKET_LOCATION);
    assertThat(S3Router.route("PUT", object, QueryParams.parse("partNumber=1&uploadId=u"), false)).isEqualTo(Operation.UPLOAD_PART);
    assertThat(S3Router.route("PUT", object, QueryParams.parse("x-id=PutObject"), false)).isEqualTo(Operation.PUT_OBJECT);
    assertThat(S3Router.route("PUT", object, QueryParams.parse(""), true)).isEqualTo(Operation.COPY_OBJECT);
    assertThat(S3Router.route("PUT", object, QueryParams.parse("tagging"), false)).isEqualTo(Operation.PUT_OBJECT_TAGGING);
    assertThat(S3Router.route("PUT", object, QueryParams.parse("tagging&versionId=3"), false)).isEqualTo(Operation.PUT_OBJECT_TAGGING);
    assertThat(S3Router.route("PUT", object, QueryParams.parse("acl&versionId=3"), false)).isEqualTo(Operation.NOT_IMPLEMENTED);
    assertThat(S3Router.route("PUT", bucket, QueryParams.parse("lifecycle"), false)).isEqualTo(Operation.PUT_BUCKET_LIFECYCLE);
    assertThat(S3Router.route("PUT", object, QueryParams.parse("retention"), false)).isEqualTo(Operation.NOT_IMPLEMENTED);
    assertThat(S3Router.route("GET", object, QueryParams.parse("versionId=null"), false)).isEqualTo(Operation.GET_OBJECT);
    assertThat(S3Router.route("GET", object, QueryParams.parse("partNumber=2"), false)).isEqualTo(Operation.GET_OBJECT);
    assertThat(S3Router.route("POST", bucket, QueryParams.parse("delete"), false)).isEqualTo(Operation.DELETE_OBJECTS);
    assertThat(S3Router.route("POST", object, QueryParams.parse("uploads"), false)).isEqualTo(Operation.CREATE_MULTIPART_UPLOAD);
    assertThat(S3Router.route("DELETE", object, QueryParams.parse("uploadId=u"), false)).isEqualTo(Operation.ABORT_MULTIPART_UPLOAD);
    assertThat(S3Router.route("PATCH", object, QueryParams.parse(""), false)).isEqualTo(Operation.METHOD_NOT_ALLOWED);
    assertThat(S3Router.route("PUT", new RequestTarget(null, null), QueryParams.parse(""), false)).isEqualTo(Operation.METHOD_NOT_ALLOWED);
  }
}
