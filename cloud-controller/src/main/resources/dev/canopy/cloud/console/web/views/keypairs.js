// Tenant: key pairs. A created key's private half is offered once, as a file download, and is
// neither shown nor kept by the page; a public key can be imported instead.

import { el, table } from "../lib/dom.js";
import { confirmButton, ec2, items, notice, saveFile, say, text } from "../lib/portal.js";

export const keyPairsView = {
  path: "keypairs",
  title: "Key pairs",
  audience: "tenant",
  async render(root, params, context) {
    const status = notice("keypairs-notice");
    const list = el("div", { id: "keypair-list" });
    const reload = async () => {
      const answer = await ec2("DescribeKeyPairs");
      if (!answer.ok) {
        say(status, answer.message, true);
        return;
      }
      list.replaceChildren(table("keypairs", [
        { title: "Name", value: (key) => text(key, "keyName") },
        { title: "Fingerprint", value: (key) => text(key, "keyFingerprint") },
        { title: "Type", value: (key) => text(key, "keyType") },
        { title: "", value: (key) => confirmButton("Delete", { "data-action": "DeleteKeyPair", "data-key-name": text(key, "keyName") },
          async () => {
            const done = await ec2("DeleteKeyPair", { KeyName: text(key, "keyName") });
            say(status, done.ok ? "Deleted " + text(key, "keyName") : done.message, !done.ok);
            await reload();
          }) },
      ], items(answer.doc, "keySet")));
      for (const row of list.querySelectorAll("tbody tr")) row.dataset.keyName = row.cells[0].textContent;
    };
    root.append(el("h2", {}, "Key pairs"), createForm(status, reload), importForm(status, reload), status, list);
    await reload();
  },
};

function createForm(status, reload) {
  const name = el("input", { id: "keypair-name", required: true, maxlength: 255 });
  const type = el("select", { id: "keypair-type" }, el("option", { value: "ed25519" }, "ed25519"), el("option", { value: "rsa" }, "rsa"));
  const form = el("form", { id: "keypair-create", class: "inline" },
    el("label", {}, "Name ", name), el("label", {}, "Type ", type), el("button", { type: "submit" }, "Create and download"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await ec2("CreateKeyPair", { KeyName: name.value, KeyType: type.value });
    if (!answer.ok) {
      say(status, answer.message, true);
      return;
    }
    // The only copy: handed to the browser as a file and dropped from the page at once.
    saveFile(name.value + ".pem", text(answer.doc.documentElement, "keyMaterial") + "\n", "application/x-pem-file");
    say(status, "Created " + name.value + ": its private key was downloaded as " + name.value + ".pem and is not kept anywhere else");
    name.value = "";
    await reload();
  });
  return form;
}

function importForm(status, reload) {
  const name = el("input", { id: "keypair-import-name", required: true, maxlength: 255 });
  const material = el("textarea", { id: "keypair-import-key", required: true, rows: 2, cols: 60, placeholder: "ssh-ed25519 AAAA… comment" });
  const form = el("form", { id: "keypair-import", class: "inline" },
    el("label", {}, "Name ", name), el("label", {}, "Public key ", material), el("button", { type: "submit" }, "Import"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    // EC2 takes the public key base64-encoded.
    const encoded = btoa(String.fromCharCode(...new TextEncoder().encode(material.value.trim())));
    const answer = await ec2("ImportKeyPair", { KeyName: name.value, PublicKeyMaterial: encoded });
    say(status, answer.ok ? "Imported " + name.value : answer.message, !answer.ok);
    if (answer.ok) {
      name.value = "";
      material.value = "";
    }
    await reload();
  });
  return form;
}
