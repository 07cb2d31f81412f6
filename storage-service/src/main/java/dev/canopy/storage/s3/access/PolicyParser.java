package dev.canopy.storage.s3.access;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.error.AwsException;
import dev.canopy.storage.backend.StorageErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a bucket policy document (IAM's JSON grammar) and checks it the way S3 does when it is
 * stored: MalformedPolicy for bad JSON, a missing or unknown field, an unknown Effect, a principal
 * that is no account, an action outside S3, a resource outside the bucket, an unknown condition
 * operator. Condition keys are not checked: IAM accepts any, and one a request lacks does not match.
 * IAM operators Canopy does not evaluate (numeric, date, ARN, multi-valued) are NotImplemented,
 * never stored as if honoured.
 */
public final class PolicyParser {

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
  private static final Set<String> TOP_FIELDS = Set.of("Version", "Id", "Statement");
  private static final Set<String> STATEMENT_FIELDS = Set.of(
      "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern ROOT_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):root");
  /** IAM operators that exist but that Canopy does not evaluate. */
  private static final Pattern UNSUPPORTED_OPERATOR =
      Pattern.compile("(ForAnyValue:|ForAllValues:).*|Numeric.*|Date.*|Arn.*|Binary.*");

  private PolicyParser() {}

  /** The canonical text to store: the document as parsed, without insignificant whitespace. */
  public static String canonical(String json, String bucket) {
    parse(json, bucket);
    try {
      return JSON.writeValueAsString(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a policy parsed once must parse again", e);
    }
  }

  public static BucketPolicy parse(String json, String bucket) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw malformed("Policies must be valid JSON and the first byte must be '{'");
    }
    if (root == null || !root.isObject()) {
      throw malformed("Policies must be valid JSON and the first byte must be '{'");
    }
    checkFields(root, TOP_FIELDS);
    JsonNode version = root.get("Version");
    if (version != null && !(version.isTextual() && VERSIONS.contains(version.asText()))) {
      throw malformed("The policy must contain a valid version string");
    }
    JsonNode statements = root.get("Statement");
    if (statements == null || statements.isEmpty()) {
      throw malformed("Missing required field Statement");
    }
    List<PolicyStatement> parsed = new ArrayList<>();
    for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
      parsed.add(statement(statement, bucket));
    }
    return new BucketPolicy(parsed);
  }

  private static PolicyStatement statement(JsonNode node, String bucket) {
    if (!node.isObject()) {
      throw malformed("Statement is not an object");
    }
    checkFields(node, STATEMENT_FIELDS);
    String effect = node.path("Effect").asText("");
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      throw malformed(node.has("Effect") ? "Invalid effect: " + effect : "Missing required field Effect");
    }
    JsonNode principal = either(node, "Principal", "NotPrincipal");
    Set<String> accounts = new HashSet<>();
    boolean anyone = principal(principal, accounts);
    List<String> actions = strings(either(node, "Action", "NotAction"), "Action");
    for (String action : actions) {
      if (!action.equals("*") && !action.regionMatches(true, 0, "s3:", 0, 3)) {
        throw malformed("Policy has invalid action");
      }
    }
    List<String> resources = strings(either(node, "Resource", "NotResource"), "Resource");
    String arn = AccessRequest.arn(bucket, null);
    for (String resource : resources) {
      String rest = resource.startsWith(arn) ? resource.substring(arn.length()) : null;
      if (rest == null || !(rest.isEmpty() || rest.startsWith("/") || rest.startsWith("*"))) {
        throw malformed("Policy has invalid resource");
      }
    }
    return new PolicyStatement(
        effect.equals("Allow"), anyone, Set.copyOf(accounts), node.has("NotPrincipal"),
        actions, node.has("NotAction"), resources, node.has("NotResource"), conditions(node.get("Condition")));
  }

  /** The one of two exclusive fields present; MalformedPolicy when none or both. */
  private static JsonNode either(JsonNode statement, String field, String notField) {
    if (statement.has(field) == statement.has(notField)) {
      throw malformed(statement.has(field) ? field + " and " + notField + " cannot both be present"
          : "Missing required field " + field);
    }
    return statement.has(field) ? statement.get(field) : statement.get(notField);
  }

  /** Collects the accounts a principal names; true for {@code "*"} (everyone). */
  private static boolean principal(JsonNode node, Set<String> accounts) {
    if (node.isTextual()) {
      if (node.asText().equals("*")) {
        return true;
      }
      throw malformed("Invalid principal in policy");
    }
    if (!node.isObject() || node.isEmpty()) {
      throw malformed("Invalid principal in policy");
    }
    boolean anyone = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      List<String> values = strings(entry.getValue(), "Principal");
      switch (entry.getKey()) {
        case "AWS" -> {
          for (String value : values) {
            anyone |= value.equals("*") || account(value, accounts);
          }
        }
        // A canonical user ID is the account id here (see docs/s3-compatibility.md).
        case "CanonicalUser" -> values.forEach(value -> {
          if (!ACCOUNT.matcher(value).matches()) {
            throw malformed("Invalid principal in policy");
          }
          accounts.add(value);
        });
        // Service and federated principals are valid IAM but never sign a request to Canopy.
        case "Service", "Federated" -> { }
        default -> throw malformed("Invalid principal in policy");
      }
    }
    return anyone;
  }

  /** Adds the account an AWS principal value names; never returns true (it names no wildcard). */
  private static boolean account(String value, Set<String> accounts) {
    Matcher root = ROOT_ARN.matcher(value);
    if (ACCOUNT.matcher(value).matches()) {
      accounts.add(value);
    } else if (root.matches()) {
      accounts.add(root.group(1));
    } else {
      throw malformed("Invalid principal in policy");
    }
    return false;
  }

  private static List<PolicyCondition> conditions(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    if (!node.isObject()) {
      throw malformed("Condition is not an object");
    }
    List<PolicyCondition> conditions = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> ops = node.fields(); ops.hasNext(); ) {
      Map.Entry<String, JsonNode> op = ops.next();
      String name = op.getKey();
      boolean ifExists = name.endsWith("IfExists") && !name.equals("IfExists");
      String base = ifExists ? name.substring(0, name.length() - "IfExists".length()) : name;
      PolicyCondition.Operator operator = PolicyCondition.Operator.named(base).orElseThrow(() ->
          UNSUPPORTED_OPERATOR.matcher(name).matches()
              ? StorageErrors.notImplemented("policy condition operator " + name)
              : malformed("Invalid Condition type : " + name));
      if (!op.getValue().isObject() || op.getValue().isEmpty()) {
        throw malformed("Invalid Condition block for " + name);
      }
      for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
        Map.Entry<String, JsonNode> key = keys.next();
        try {
          conditions.add(PolicyCondition.of(operator, ifExists, key.getKey(), strings(key.getValue(), "Condition")));
        } catch (IllegalArgumentException e) {
          throw malformed("Invalid value for " + name + " " + key.getKey() + ": " + e.getMessage());
        }
      }
    }
    return conditions;
  }

  /** A string, or a non-empty array of them (IAM also accepts numbers and booleans as text). */
  private static List<String> strings(JsonNode node, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : node.isArray() ? node : List.of(node)) {
      if (!value.isValueNode() || value.isNull()) {
        throw malformed("Invalid value in " + field);
      }
      values.add(value.asText());
    }
    if (values.isEmpty()) {
      throw malformed("Empty " + field);
    }
    return List.copyOf(values);
  }

  private static void checkFields(JsonNode node, Set<String> known) {
    node.fieldNames().forEachRemaining(name -> {
      if (!known.contains(name)) {
        throw malformed("Unknown field " + name);
      }
    });
  }

  static AwsException malformed(String message) {
    return new AwsException(400, "MalformedPolicy", message);
  }
}
