// Tenant: my buckets (create; delete, which S3 refuses while a bucket holds objects), and an object
// browser per bucket: folders by the delimiter "/", pages by continuation token, size and
// last-modified, uploads of several files (streamed, with progress), downloads as real browser
// downloads under the object's name, delete after a confirm. Every call goes through /api/s3 as
// the session's account. The address holds bucket, prefix and page token.

import { api, currentCsrfToken, failure } from "../lib/api.js";
import { el, table, viewLink } from "../lib/dom.js";
import { confirmButton, notice, say } from "../lib/portal.js";

const PAGE_KEYS = 100;

export const bucketsView = {
  path: "buckets",
  title: "Buckets",
  audience: "tenant",
  async render(root, params, context) {
    const bucket = params.get("bucket");
    if (bucket) await browser(root, bucket, params.get("prefix") ?? "", params.get("token"), context);
    else await bucketList(root, context);
  },
};

const bucketApi = (bucket) => "/api/s3/buckets/" + encodeURIComponent(bucket);

async function bucketList(root, context) {
  const status = notice("buckets-notice");
  const name = el("input", { id: "bucket-name", required: true, minlength: 3, maxlength: 63, pattern: "[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]" });
  const form = el("form", { id: "bucket-create", class: "inline" }, el("label", {}, "Name ", name), el("button", { type: "submit" }, "Create bucket"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await api("PUT", bucketApi(name.value));
    if (answer.status !== 201) {
      say(status, failure(answer), true);
      return;
    }
    context.refresh();
  });
  root.append(el("h2", {}, "Buckets"), form, status);
  const answer = await api("GET", "/api/s3/buckets");
  if (answer.status !== 200) {
    say(status, failure(answer), true);
    return;
  }
  root.append(table("buckets", [
    { title: "Name", value: (b) => viewLink(b.name, "buckets", { bucket: b.name }, { class: "resource", "data-bucket": b.name }) },
    { title: "Created", value: (b) => b.createdAt },
    { title: "", value: (b) => confirmButton("Delete", { "data-action": "DeleteBucket", "data-bucket": b.name }, async () => {
      const done = await api("DELETE", bucketApi(b.name));
      // S3's own refusal (BucketNotEmpty) is shown as S3 words it.
      if (done.status !== 204) say(status, failure(done), true);
      else context.refresh();
    }) },
  ], answer.json.buckets));
}

async function browser(root, bucket, prefix, token, context) {
  const status = notice("objects-notice");
  root.append(el("h2", {}, "Bucket " + bucket), crumbs(bucket, prefix), uploadForm(bucket, prefix, status, context), status);
  const query = new URLSearchParams({ prefix, max: String(PAGE_KEYS) });
  if (token) query.set("token", token);
  const answer = await api("GET", bucketApi(bucket) + "/objects?" + query);
  if (answer.status !== 200) {
    say(status, failure(answer), true);
    return;
  }
  const page = answer.json;
  const rows = [
    ...page.folders.map((folder) => ({ folder })),
    ...page.objects.map((object) => ({ object })),
  ];
  root.append(table("objects", [
    { title: "Name", value: (row) => row.folder
      ? viewLink(row.folder.slice(prefix.length), "buckets", { bucket, prefix: row.folder }, { class: "resource folder", "data-prefix": row.folder })
      : el("a", { href: bucketApi(bucket) + "/object?key=" + encodeURIComponent(row.object.key), download: row.object.key.slice(prefix.length),
        class: "resource", "data-key": row.object.key }, row.object.key.slice(prefix.length)) },
    { title: "Size", value: (row) => row.object ? size(row.object.size) : "", class: "number" },
    { title: "Last modified", value: (row) => row.object?.lastModified ?? "" },
    { title: "", value: (row) => row.object ? confirmButton("Delete", { "data-action": "DeleteObject", "data-key": row.object.key }, async () => {
      const done = await api("DELETE", bucketApi(bucket) + "/object?key=" + encodeURIComponent(row.object.key));
      if (done.status !== 204) say(status, failure(done), true);
      else context.refresh();
    }) : "" },
  ], rows));
  const paging = el("p", { class: "paging" });
  if (token) paging.append(viewLink("First page", "buckets", { bucket, prefix }, { id: "first-page" }), " ");
  if (page.truncated) paging.append(viewLink("Next page", "buckets", { bucket, prefix, token: page.nextToken }, { id: "next-page" }));
  root.append(paging);
}

/** The bucket list, the bucket, and each folder of the prefix, as links. */
function crumbs(bucket, prefix) {
  const parts = prefix.split("/").filter(Boolean);
  const links = [viewLink("All buckets", "buckets"), " / ", viewLink(bucket, "buckets", { bucket }, { class: "crumb" })];
  parts.forEach((part, index) => {
    links.push(" / ", viewLink(part, "buckets", { bucket, prefix: parts.slice(0, index + 1).join("/") + "/" }, { class: "crumb" }));
  });
  return el("nav", { id: "crumbs" }, links);
}

/** Each file goes up as the body of one PUT, read by the browser as it sends (never whole in the page). */
function uploadForm(bucket, prefix, status, context) {
  const files = el("input", { id: "upload-files", type: "file", multiple: true, required: true });
  const progress = el("div", { id: "upload-progress" });
  const form = el("form", { id: "upload", class: "inline" }, el("label", {}, "Files ", files), el("button", { type: "submit" }, "Upload"), progress);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let failed = 0;
    for (const file of files.files) {
      const bar = el("progress", { max: file.size || 1, value: 0, "data-file": file.name });
      progress.append(el("div", {}, file.name + " ", bar));
      const answer = await upload(bucketApi(bucket) + "/object?key=" + encodeURIComponent(prefix + file.name), file, bar);
      if (answer.status !== 201) {
        failed++;
        say(status, file.name + ": " + failure(answer), true);
      }
    }
    if (!failed) context.refresh();
  });
  return form;
}

/** XMLHttpRequest, since fetch reports no upload progress. */
function upload(url, file, bar) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    request.setRequestHeader("X-CSRF-Token", currentCsrfToken());
    request.upload.addEventListener("progress", (event) => {
      bar.value = event.loaded;
    });
    request.addEventListener("load", () => {
      bar.value = bar.max;
      let json = null;
      try {
        json = JSON.parse(request.responseText);
      } catch {
        // no body
      }
      resolve({ status: request.status, json });
    });
    request.addEventListener("error", () => resolve({ status: 0, json: { message: "the upload was cut off" } }));
    request.send(file);
  });
}

function size(bytes) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? String(value) : value.toFixed(1)) + " " + units[unit];
}

