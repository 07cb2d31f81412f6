package dev.canopy.storage.s3;

import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.S3Error;
import dev.canopy.api.error.S3Errors;
import dev.canopy.api.http.RequestHead;
import dev.canopy.storage.backend.ObjectMetadata;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a POST Object form that came before its file, by lower-case name (S3 compares
 * field names without regard to case; the first of a repeated field counts), and what they mean:
 * the key after {@code ${filename}} substitution, the object's metadata, the headers they stand for.
 */
final class PostForm {

  static final String FILENAME_VARIABLE = "${filename}";
  /** Form fields that stand for a request header of another name. */
  private static final Map<String, String> AS_HEADERS = Map.of("acl", "x-amz-acl", "tagging", "x-amz-tagging");

  private final Map<String, String> fields;

  private PostForm(Map<String, String> fields) {
    this.fields = fields;
  }

  /**
   * @param attributes the decoded fields before the file
   * @param filename the file part's file name, substituted for {@code ${filename}} in the key
   */
  static PostForm of(MultiMap attributes, String filename) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, String> field : attributes) {
      fields.putIfAbsent(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
    }
    String key = fields.get("key");
    if (key == null) {
      throw S3Errors.invalidArgument(
          "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
    }
    fields.put("key", key.replace(FILENAME_VARIABLE, filename == null ? "" : filename));
    return new PostForm(fields);
  }

  /** Every field, for the policy's conditions. */
  Map<String, String> fields() {
    return fields;
  }

  String field(String name) {
    return fields.get(name);
  }

  /** A field S3 requires of a signed form; InvalidArgument when it is missing. */
  String required(String name) {
    String value = fields.get(name);
    if (value == null) {
      throw S3Errors.invalidArgument("Bucket POST must contain a field named '" + name + "'.  If it is specified,"
          + " please check the order of the fields.");
    }
    return value;
  }

  /** The key, with KeyTooLongError past S3's limit, as for any other request. */
  String key() {
    String key = fields.get("key");
    if (key.isEmpty()) {
      throw S3Errors.invalidArgument("User key must have a length greater than 0.");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > RequestTarget.KEY_BYTES_MAX) {
      throw S3Errors.keyTooLong();
    }
    return key;
  }

  /** Content-Type, Cache-Control... and x-amz-meta-* fields, read as a PUT reads its headers. */
  ObjectMetadata metadata() {
    MultiMap asHeaders = MultiMap.caseInsensitiveMultiMap();
    fields.forEach(asHeaders::add);
    return ObjectHeaders.fromRequest(asHeaders);
  }

  /**
   * The fields as the request headers they stand for, so that {@link RequestHeaderRules} refuses
   * in a form what it refuses in a PUT: the {@code acl} and {@code tagging} fields are the
   * {@code x-amz-acl} and {@code x-amz-tagging} headers.
   */
  RequestHead asHead(RequestHead request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    fields.forEach((name, value) -> headers.put(AS_HEADERS.getOrDefault(name, name), List.of(value)));
    return new RequestHead(request.method(), request.rawPath(), request.rawQuery(), headers);
  }

  /** The status a successful upload answers with: 200 or 201 when asked for, otherwise S3's 204. */
  int successStatus() {
    String asked = fields.getOrDefault("success_action_status", "");
    return asked.equals("200") || asked.equals("201") ? Integer.parseInt(asked) : 204;
  }

  /** Where to send the browser after the upload, when the form asks for it. */
  String redirect() {
    String redirect = fields.get("success_action_redirect");
    return redirect != null ? redirect : fields.get("redirect");
  }

  static AwsException notMultipart() {
    return new AwsException(412, S3Error.PRECONDITION_FAILED.code(),
        "Bucket POST must be of the enclosure-type multipart/form-data");
  }

  static AwsException malformed() {
    return new AwsException(400, "MalformedPOSTRequest",
        "The body of your POST request is not well-formed multipart/form-data.");
  }

  static AwsException fileMissing() {
    return S3Errors.invalidArgument("POST requires exactly one file upload per request.");
  }
}
