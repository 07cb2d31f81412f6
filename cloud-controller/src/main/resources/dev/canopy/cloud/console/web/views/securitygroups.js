// Tenant: security groups with their ingress rules; create and delete groups, add and remove a
// rule (protocol, port range, and a CIDR or a source group).

import { el, table } from "../lib/dom.js";
import { confirmButton, ec2, items, kid, kids, notice, say, text } from "../lib/portal.js";

export const securityGroupsView = {
  path: "securitygroups",
  title: "Security groups",
  audience: "tenant",
  async render(root) {
    const status = notice("groups-notice");
    const list = el("div", { id: "group-list" });
    const reload = async () => {
      const answer = await ec2("DescribeSecurityGroups");
      if (!answer.ok) {
        say(status, answer.message, true);
        return;
      }
      list.replaceChildren(...items(answer.doc, "securityGroupInfo").map((group) => groupSection(group, status, reload)));
    };
    root.append(el("h2", {}, "Security groups"), createForm(status, reload), status, list);
    await reload();
  },
};

function createForm(status, reload) {
  const name = el("input", { id: "group-name", required: true, maxlength: 255 });
  const description = el("input", { id: "group-description", required: true, maxlength: 255 });
  const form = el("form", { id: "group-create", class: "inline" },
    el("label", {}, "Name ", name), el("label", {}, "Description ", description), el("button", { type: "submit" }, "Create"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await ec2("CreateSecurityGroup", { GroupName: name.value, GroupDescription: description.value });
    say(status, answer.ok ? "Created " + name.value : answer.message, !answer.ok);
    await reload();
  });
  return form;
}

/** One rule as EC2 takes it back: IpPermissions.1.* with one source. */
function permission(rule) {
  const params = { "IpPermissions.1.IpProtocol": rule.protocol };
  if (rule.protocol !== "-1") {
    params["IpPermissions.1.FromPort"] = rule.from;
    params["IpPermissions.1.ToPort"] = rule.to;
  }
  if (rule.source.startsWith("sg-")) params["IpPermissions.1.Groups.1.GroupId"] = rule.source;
  else params["IpPermissions.1.IpRanges.1.CidrIp"] = rule.source;
  return params;
}

function rulesOf(group) {
  return kids(kid(group, "ipPermissions"), "item").flatMap((perm) => {
    const base = { protocol: text(perm, "ipProtocol"), from: text(perm, "fromPort"), to: text(perm, "toPort") };
    return [
      ...kids(kid(perm, "ipRanges"), "item").map((range) => ({ ...base, source: text(range, "cidrIp") })),
      ...kids(kid(perm, "groups"), "item").map((source) => ({ ...base, source: text(source, "groupId") })),
    ];
  });
}

function groupSection(group, status, reload) {
  const groupId = text(group, "groupId");
  const rules = rulesOf(group);
  const change = async (action, params, done) => {
    const answer = await ec2(action, { GroupId: groupId, ...params });
    say(status, answer.ok ? done : answer.message, !answer.ok);
    await reload();
  };
  const ruleTable = table("rules-" + groupId, [
    { title: "Protocol", value: (rule) => rule.protocol === "-1" ? "all" : rule.protocol },
    { title: "Ports", value: (rule) => rule.protocol === "-1" ? "all" : rule.from === rule.to ? rule.from : rule.from + "-" + rule.to },
    { title: "Source", value: (rule) => rule.source },
    { title: "", value: (rule) => confirmButton("Remove", { "data-action": "RevokeSecurityGroupIngress" },
      () => change("RevokeSecurityGroupIngress", permission(rule), "Removed a rule of " + groupId)) },
  ], rules);
  ruleTable.classList.add("rules");
  return el("section", { class: "group", "data-group-id": groupId, "data-group-name": text(group, "groupName") },
    el("h3", {}, text(group, "groupName") + " (" + groupId + ")"),
    el("p", {}, text(group, "groupDescription")),
    ruleTable,
    ruleForm(groupId, (rule) => change("AuthorizeSecurityGroupIngress", permission(rule), "Added a rule to " + groupId)),
    confirmButton("Delete group", { "data-action": "DeleteSecurityGroup" },
      () => change("DeleteSecurityGroup", {}, "Deleted " + groupId)));
}

function ruleForm(groupId, add) {
  const protocol = el("select", { name: "protocol" }, ["tcp", "udp", "icmp"].map((p) => el("option", { value: p }, p)),
    el("option", { value: "-1" }, "all"));
  const from = el("input", { name: "from", type: "number", min: -1, max: 65535, value: 22 });
  const to = el("input", { name: "to", type: "number", min: -1, max: 65535, value: 22 });
  const source = el("input", { name: "source", required: true, placeholder: "0.0.0.0/0 or sg-…", value: "0.0.0.0/0" });
  const form = el("form", { class: "inline rule-add", "data-group-id": groupId },
    el("label", {}, "Protocol ", protocol), el("label", {}, "From port ", from), el("label", {}, "To port ", to),
    el("label", {}, "Source ", source), el("button", { type: "submit" }, "Add rule"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    add({ protocol: protocol.value, from: from.value, to: to.value, source: source.value.trim() });
  });
  return form;
}
