// Operator: every image, the system's and the tenants': owner, state, where its disk comes from;
// deregistration (instances already launched from it keep running, as on EC2).

import { api, failure } from "../lib/api.js";
import { el, problem, table } from "../lib/dom.js";
import { actionButton } from "../lib/opforms.js";

export const imagesView = {
  path: "images",
  title: "Images",
  audience: "operator",
  async render(root, params, context) {
    const answer = await api("GET", "/api/admin/images");
    if (answer.status !== 200) {
      root.append(problem(failure(answer)));
      return;
    }
    const message = el("p", { id: "image-message", role: "status" });
    const images = answer.json.images ?? [];
    const list = table("images", [
      { title: "Image", value: (i) => i.imageId },
      { title: "Name", value: (i) => i.name },
      { title: "Owner", value: (i) => i.ownerId },
      { title: "State", value: (i) => i.state },
      { title: "Public", value: (i) => (i.public ? "yes" : "no") },
      { title: "Disk source", value: (i) => i.location ?? "" },
      { title: "Created", value: (i) => i.creationDate ?? "" },
      { title: "", value: (i) => actionButton("Deregister", { "data-deregister": i.imageId, class: "danger" }, async () => {
        const done = await api("DELETE", "/api/admin/images/" + encodeURIComponent(i.imageId));
        if (done.status !== 204) {
          message.textContent = failure(done);
          return;
        }
        await context.refresh();
      }) },
    ], images);
    root.append(message, list);
  },
};
