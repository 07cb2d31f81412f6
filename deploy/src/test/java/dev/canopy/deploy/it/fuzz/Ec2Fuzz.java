package dev.canopy.deploy.it.fuzz;

import static dev.canopy.deploy.it.fuzz.FuzzValues.pick;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** EC2 Query requests: real and invented actions with random, repeated and broken parameters. */
final class Ec2Fuzz implements RequestGenerator {

  /** Every action Canopy serves, a few it does not, and names no service has. */
  private static final List<String> ACTIONS = List.of(
      "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "CreateKeyPair", "CreateSecurityGroup",
      "CreateTags", "DeleteKeyPair", "DeleteSecurityGroup", "DeleteTags", "DeregisterImage",
      "DescribeAccountAttributes", "DescribeAvailabilityZones", "DescribeImageAttribute", "DescribeImages",
      "DescribeInstanceAttribute", "DescribeInstanceCreditSpecifications", "DescribeInstanceStatus",
      "DescribeInstanceTypes", "DescribeInstances", "DescribeKeyPairs", "DescribeRegions",
      "DescribeSecurityGroups", "DescribeTags", "DescribeVolumes", "DescribeVpcs", "GetConsoleOutput",
      "ImportKeyPair", "ModifyImageAttribute", "ModifyInstanceAttribute", "RebootInstances", "RegisterImage",
      "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "RunInstances", "StartInstances",
      "StopInstances", "TerminateInstances", "CreateVpc", "AllocateAddress", "describeinstances", "", "Describe");

  /** Parameter names the actions read; {@code #} is replaced by an index, sane or not. */
  private static final List<String> PARAMS = List.of(
      "ImageId", "InstanceId", "InstanceId.#", "ImageId.#", "KeyName", "KeyName.#", "KeyPairId.#", "GroupName",
      "GroupName.#", "GroupId", "GroupId.#", "GroupDescription", "Description", "Description.Value", "MaxCount",
      "MinCount", "MaxResults", "NextToken", "InstanceType", "UserData", "ClientToken", "Filter.#.Name",
      "Filter.#.Value.#", "ResourceId.#", "Tag.#.Key", "Tag.#.Value", "TagSpecification.#.ResourceType",
      "TagSpecification.#.Tag.#.Key", "TagSpecification.#.Tag.#.Value", "SecurityGroupId.#", "SecurityGroup.#",
      "IpPermissions.#.IpProtocol", "IpPermissions.#.FromPort", "IpPermissions.#.ToPort",
      "IpPermissions.#.IpRanges.#.CidrIp", "IpPermissions.#.Groups.#.GroupId", "IpPermissions.#.UserIdGroupPairs.#.GroupName",
      "IpProtocol", "FromPort", "ToPort", "CidrIp", "SourceSecurityGroupName", "SourceSecurityGroupOwnerId",
      "Attribute", "LaunchPermission.Add.#.UserId", "LaunchPermission.Remove.#.Group", "Owner.#", "ExecutableBy.#",
      "BlockDeviceMapping.#.DeviceName", "BlockDeviceMapping.#.Ebs.VolumeSize", "Placement.AvailabilityZone",
      "PublicKeyMaterial", "KeyType", "KeyFormat", "IncludePublicKey", "Force", "Latest", "DryRun",
      "IncludeAllInstances", "ZoneName.#", "RegionName.#", "AttributeName.#", "VpcId", "VolumeId.#",
      "DisableApiTermination.Value", "InstanceInitiatedShutdownBehavior.Value", "SourceDestCheck.Value",
      "Name", "Architecture", "RootDeviceName", "ImageLocation", "EbsOptimized", "EnaSupport", "Version",
      "Action", "AWSAccessKeyId", "SignatureVersion", "X-Amz-Algorithm", "Signature");

  private static final List<String> INDICES = List.of(
      "1", "2", "0", "-1", "10000", "2147483648", "99999999999999999999", "a", "", "1.5", "01");

  /** Form bodies above the endpoint's 1 MiB cap, now and then. */
  private static final int OVERSIZED_BODY_BYTES = 1_100_000;

  @Override
  public FuzzRequest next(RandomGenerator r) {
    List<String> pairs = new ArrayList<>();
    if (r.nextInt(20) != 0) {
      pairs.add("Action=" + FuzzValues.percentEncode(pick(r, ACTIONS).getBytes(StandardCharsets.UTF_8)));
    }
    if (r.nextInt(10) != 0) {
      pairs.add("Version=" + (r.nextInt(10) == 0 ? FuzzValues.percentEncode(FuzzValues.bytes(r)) : "2016-11-15"));
    }
    boolean many = r.nextInt(12) == 0;
    int count = many ? r.nextInt(200, 3_000) : r.nextInt(0, 12);
    for (int i = 0; i < count; i++) {
      pairs.add(pair(r, many));
    }
    String form = String.join("&", pairs);
    Map<String, String> headers = new LinkedHashMap<>();
    if (r.nextInt(4) == 0) {
      // A Query GET: parameters in the (percent-encoded, so signable) query string.
      return new FuzzRequest("GET", "/?" + form.replace("+", "%2B"), headers, new byte[0]);
    }
    headers.put("content-type", r.nextInt(10) == 0
        ? FuzzValues.headerValue(r) : "application/x-www-form-urlencoded; charset=utf-8");
    byte[] body = form.getBytes(StandardCharsets.ISO_8859_1);
    if (r.nextInt(40) == 0) {
      body = (form + "&UserData=" + "A".repeat(OVERSIZED_BODY_BYTES)).getBytes(StandardCharsets.ISO_8859_1);
    } else if (r.nextInt(15) == 0) {
      body = FuzzValues.withInvalidUtf8(r, form);
    }
    return new FuzzRequest(r.nextInt(30) == 0 ? pick(r, List.of("PUT", "DELETE", "PATCH")) : "POST", "/", headers, body);
  }

  /** @param shortValue keeps a request of thousands of parameters under the body cap */
  private static String pair(RandomGenerator r, boolean shortValue) {
    StringBuilder name = new StringBuilder();
    String template = pick(r, PARAMS);
    for (char c : template.toCharArray()) {
      name.append(c == '#' ? pick(r, INDICES) : String.valueOf(c));
    }
    String value = shortValue ? FuzzValues.word(r) : FuzzValues.percentEncode(FuzzValues.bytes(r));
    return switch (r.nextInt(25)) {
      case 0 -> name.toString(); // no '='
      case 1 -> "=" + value; // no name
      case 2 -> name + "=%" + (r.nextBoolean() ? "" : "G"); // a broken escape
      case 3 -> FuzzValues.percentEncode(FuzzValues.bytes(r)) + "=" + value; // a name no action reads
      default -> FuzzValues.percentEncode(name.toString().getBytes(StandardCharsets.UTF_8)) + "=" + value;
    };
  }
}
