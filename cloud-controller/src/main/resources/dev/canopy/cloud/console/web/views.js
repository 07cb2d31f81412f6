// Every view of the console, in the order of the navigation bar. A view is
// { path, title, audience: "operator" | "tenant" | "both", render(root, params, context) }; its
// address is #/path?params, so a link or a reload reproduces what is on the screen.

import { accountsView } from "./views/accounts.js";
import { cloudView } from "./views/cloud.js";
import { nodeView } from "./views/node.js";
import { allInstancesView } from "./views/all-instances.js";
import { imagesView } from "./views/images.js";
import { billingView } from "./views/billing.js";
import { correlateView } from "./views/correlate.js";
import { latencyView } from "./views/latency.js";
import { instancesView } from "./views/instances.js";
import { keyPairsView } from "./views/keypairs.js";
import { securityGroupsView } from "./views/securitygroups.js";
import { bucketsView } from "./views/buckets.js";
import { usageView } from "./views/usage.js";
import { billsView } from "./views/bills.js";
import { eventsView } from "./views/events.js";

export const VIEWS = [
  // The operator's, accounts first.
  accountsView,
  cloudView,
  nodeView,
  allInstancesView,
  imagesView,
  billingView,
  correlateView,
  latencyView,
  // The tenant's, its instances first.
  instancesView,
  keyPairsView,
  securityGroupsView,
  bucketsView,
  usageView,
  billsView,
  // Both.
  eventsView,
];
