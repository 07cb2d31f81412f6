package dev.canopy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every operation has a billing class, and the ones AWS prices are where AWS puts them. */
class RequestClassTest {

  @Test
  void everyOperationIsClassified() {
    Map<Operation, RequestClass> classes = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      classes.put(op, RequestClass.of(op)); // a new operation without a class does not even compile
    }
    assertThat(classes).hasSize(Operation.values().length).doesNotContainValue(null);
  }

  @Test
  void writesAndListingsAreTierOneReadsTierTwoDeletesFree() {
    for (Operation op : new Operation[] {Operation.PUT_OBJECT, Operation.COPY_OBJECT, Operation.POST_OBJECT, Operation.LIST_OBJECTS,
        Operation.LIST_OBJECTS_V2, Operation.LIST_OBJECT_VERSIONS, Operation.LIST_MULTIPART_UPLOADS, Operation.LIST_PARTS,
        Operation.CREATE_MULTIPART_UPLOAD, Operation.UPLOAD_PART, Operation.UPLOAD_PART_COPY, Operation.COMPLETE_MULTIPART_UPLOAD,
        Operation.PUT_BUCKET_POLICY, Operation.PUT_OBJECT_ACL, Operation.PUT_BUCKET_CORS, Operation.PUT_BUCKET_LIFECYCLE}) {
      assertThat(RequestClass.of(op)).as(op.awsName()).isEqualTo(RequestClass.TIER1);
    }
    for (Operation op : new Operation[] {Operation.GET_OBJECT, Operation.HEAD_OBJECT, Operation.HEAD_BUCKET, Operation.GET_OBJECT_ACL,
        Operation.GET_BUCKET_POLICY, Operation.GET_BUCKET_CORS, Operation.GET_OBJECT_ATTRIBUTES, Operation.GET_BUCKET_LOCATION}) {
      assertThat(RequestClass.of(op)).as(op.awsName()).isEqualTo(RequestClass.TIER2);
    }
    for (Operation op : new Operation[] {Operation.DELETE_OBJECT, Operation.DELETE_OBJECTS, Operation.DELETE_BUCKET,
        Operation.ABORT_MULTIPART_UPLOAD, Operation.DELETE_BUCKET_POLICY}) {
      assertThat(RequestClass.of(op)).as(op.awsName()).isEqualTo(RequestClass.FREE);
    }
    assertThat(RequestClass.of(Operation.LIST_BUCKETS)).isEqualTo(RequestClass.NOT_METERED);
    assertThat(RequestClass.of(Operation.CREATE_BUCKET)).isEqualTo(RequestClass.NOT_METERED);
  }

  @Test
  void onlyObjectReadsBillTheirBytes() {
    for (Operation op : Operation.values()) {
      assertThat(RequestClass.billsBytesOut(op)).as(op.awsName()).isEqualTo(op == Operation.GET_OBJECT);
    }
  }
}
