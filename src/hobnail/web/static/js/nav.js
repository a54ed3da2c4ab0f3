// Capabilities in the navigation. Flip `ready` when a capability ships;
// `adminOnly` items show only for owners and admins of the current organisation.

export const NAV_ITEMS = [
  { id: "home", path: "/", label: "nav.home", icon: "home", ready: true },
  { id: "messages", path: "/messages", label: "nav.messages", icon: "messages", ready: true, needsOrg: true },
  { id: "ding", path: "/ding", label: "nav.ding", icon: "ding", ready: true, needsOrg: true },
  { id: "attendance", path: "/attendance", label: "nav.attendance", icon: "attendance", ready: true, needsOrg: true },
  { id: "reports", path: "/reports", label: "nav.reports", icon: "reports", ready: true, needsOrg: true },
  { id: "approvals", path: "/approvals", label: "nav.approvals", icon: "approvals", ready: true, needsOrg: true },
  { id: "contacts", path: "/contacts", label: "nav.contacts", icon: "contacts", ready: true, needsOrg: true },
  { id: "admin", path: "/admin", label: "nav.admin", icon: "admin", ready: true, adminOnly: true },
  { id: "settings", path: "/settings", label: "nav.settings", icon: "settings", ready: true },
];

export function visibleNavItems({ isAdmin, hasOrg }) {
  return NAV_ITEMS.filter((item) => item.ready && (!item.adminOnly || isAdmin) && (!item.needsOrg || hasOrg));
}

/** Which nav item a path belongs to ("/admin/members" → "admin"). */
export function navIdFor(pathname) {
  let best = null;
  for (const item of NAV_ITEMS) {
    if (item.path === "/" ? pathname === "/" : pathname === item.path || pathname.startsWith(item.path + "/")) best = item.id;
  }
  return best;
}
