// Every view of the console, in the order of the navigation bar. A view is
// { path, title, audience: "operator" | "tenant", render(root, params, session) }; its address is
// #/path?params, so a link or a reload reproduces what is on the screen.

import { accountsView } from "./views/accounts.js";
import { usageView } from "./views/usage.js";
import { cloudView } from "./views/cloud.js";
import { allInstancesView } from "./views/all-instances.js";
import { imagesView } from "./views/images.js";
import { billingView } from "./views/billing.js";
import { eventsView } from "./views/events.js";

export const VIEWS = [
  accountsView,
  cloudView,
  allInstancesView,
  imagesView,
  billingView,
  usageView,
  eventsView,
];
