// Operator: the accounts: create, disable / enable, console password, delete; an account's access
// keys (#/accounts?account=NAME): create (its secret shown once), deactivate, delete.

import { api, failure } from "../lib/api.js";
import { el, problem, table, viewLink } from "../lib/dom.js";
import { actionButton, field } from "../lib/opforms.js";

export const accountsView = {
  path: "accounts",
  title: "Accounts",
  audience: "operator",
  async render(root, params) {
    const chosen = params.get("account");
    const message = el("p", { id: "account-message", role: "status" });
    const secret = el("div", { id: "new-secret", hidden: true });
    const listing = el("div", {});
    const nameInput = el("input", { id: "new-account-name", name: "name", size: 20 });
    const create = el("form", { class: "inline", id: "create-account" }, field("New account", nameInput), el("button", { type: "submit" }, "Create"));
    create.addEventListener("submit", async (event) => {
      event.preventDefault();
      const answer = await api("POST", "/admin/v1/accounts", { name: nameInput.value.trim() });
      if (answer.status !== 201) return say(message, failure(answer), true);
      showSecret(secret, answer.json.account.name, answer.json.accessKeyId, answer.json.secretAccessKey);
      nameInput.value = "";
      say(message, "Account " + answer.json.account.name + " created.");
      await refresh();
    });
    root.append(create, message, secret, listing);

    async function refresh() {
      const answer = await api("GET", "/admin/v1/accounts");
      if (answer.status !== 200) {
        listing.replaceChildren(problem(failure(answer)));
        return;
      }
      const accounts = answer.json.accounts ?? [];
      const list = table("accounts", [
        { title: "Name", value: (a) => viewLink(a.name, "accounts", { account: a.name }, { class: "resource" }) },
        { title: "Id", value: (a) => a.id },
        { title: "State", value: (a) => (a.disabled ? "disabled" : "enabled"), class: "account-state" },
        { title: "Created", value: (a) => a.createdAt },
        { title: "", value: (a) => accountActions(a) },
      ], accounts);
      [...list.tBodies[0].rows].forEach((row, index) => { row.dataset.account = accounts[index].name; });
      const parts = [list];
      if (chosen) parts.push(await keysPanel(chosen));
      listing.replaceChildren(...parts);
    }

    /** Changes through the admin API (with the CSRF token); the listing is read again after each. */
    async function change(method, path, body, expected, done) {
      const answer = await api(method, path, body);
      if (answer.status !== expected) return say(message, failure(answer), true);
      say(message, done);
      await refresh();
      return answer;
    }

    function accountActions(account) {
      const path = "/admin/v1/accounts/" + encodeURIComponent(account.name);
      const password = el("input", { type: "password", "data-password-for": account.name, autocomplete: "new-password", size: 14 });
      return el("span", { class: "actions" },
        account.disabled
          ? actionButton("Enable", { "data-enable": account.name }, () => change("POST", path + "/enable", {}, 200, account.name + " enabled."))
          : actionButton("Disable", { "data-disable": account.name }, () => change("POST", path + "/disable", {}, 200, account.name + " disabled.")),
        password,
        actionButton("Set password", { "data-set-password": account.name },
          () => change("PUT", path + "/console-password", { password: password.value }, 204, "Console password of " + account.name + " set.")),
        actionButton("Remove password", { "data-remove-password": account.name },
          () => change("DELETE", path + "/console-password", undefined, 204, "Console password of " + account.name + " removed.")),
        actionButton("Delete", { "data-delete": account.name, class: "danger" },
          () => change("DELETE", path, undefined, 204, "Account " + account.name + " deleted.")));
    }

    async function keysPanel(name) {
      const path = "/admin/v1/accounts/" + encodeURIComponent(name) + "/keys";
      const answer = await api("GET", path);
      if (answer.status !== 200) return problem(failure(answer));
      const keys = answer.json.keys ?? [];
      const list = table("access-keys", [
        { title: "Access key", value: (k) => k.accessKeyId },
        { title: "Status", value: (k) => k.status, class: "key-status" },
        { title: "Created", value: (k) => k.createdAt },
        { title: "", value: (k) => el("span", { class: "actions" },
          k.status === "Active" ? actionButton("Deactivate", { "data-deactivate": k.accessKeyId },
            () => change("POST", path + "/" + encodeURIComponent(k.accessKeyId) + "/deactivate", {}, 204, k.accessKeyId + " deactivated.")) : null,
          actionButton("Delete", { "data-delete-key": k.accessKeyId, class: "danger" },
            () => change("DELETE", path + "/" + encodeURIComponent(k.accessKeyId), undefined, 204, k.accessKeyId + " deleted."))) },
      ], keys);
      [...list.tBodies[0].rows].forEach((row, index) => { row.dataset.key = keys[index].accessKeyId; });
      return el("section", { id: "keys-panel", "data-account": name },
        el("h2", {}, "Access keys of " + name),
        list,
        actionButton("Create access key", { id: "create-key" }, async () => {
          const created = await api("POST", path, {});
          if (created.status !== 201) return say(message, failure(created), true);
          showSecret(secret, name, created.json.accessKeyId, created.json.secretAccessKey);
          say(message, "Access key " + created.json.accessKeyId + " created.");
          await refresh();
        }));
    }

    await refresh();
  },
};

function say(line, text, isProblem = false) {
  line.textContent = text;
  line.classList.toggle("problem", isProblem);
}

/** A new key's secret, shown this once: the server keeps it sealed and never sends it again. */
function showSecret(box, account, keyId, secretKey) {
  box.replaceChildren(
    el("p", {}, "New access key of " + account + ". Copy the secret now: it is not shown again."),
    el("code", { id: "new-key-id" }, keyId), " ",
    el("code", { id: "new-key-secret" }, secretKey),
    el("button", { type: "button", id: "hide-secret" }, "Done"));
  box.hidden = false;
  box.querySelector("#hide-secret").addEventListener("click", () => {
    box.replaceChildren();
    box.hidden = true;
  });
}
