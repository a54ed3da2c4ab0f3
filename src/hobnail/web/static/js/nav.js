// Capabilities in the navigation. Flip `ready` when a capability ships;
// `adminOnly` items show only for owners and admins of the current organisation;
// `schoolOnly` items only in a school; `staffOnly` items not for guardians and students
// (members of a school who are not staff: member_kind in the session's org).

import { org } from "./state.js";

export const NAV_ITEMS = [
  { id: "home", path: "/", label: "nav.home", icon: "home", ready: true },
  { id: "messages", path: "/messages", label: "nav.messages", icon: "messages", ready: true, needsOrg: true },
  { id: "ding", path: "/ding", label: "nav.ding", icon: "ding", ready: true, needsOrg: true },
  { id: "school", path: "/school", label: "nav.school", icon: "school", ready: true, needsOrg: true, schoolOnly: true },
  { id: "attendance", path: "/attendance", label: "nav.attendance", icon: "attendance", ready: true, needsOrg: true, staffOnly: true },
  { id: "reports", path: "/reports", label: "nav.reports", icon: "reports", ready: true, needsOrg: true, staffOnly: true },
  { id: "approvals", path: "/approvals", label: "nav.approvals", icon: "approvals", ready: true, needsOrg: true, staffOnly: true },
  { id: "contacts", path: "/contacts", label: "nav.contacts", icon: "contacts", ready: true, needsOrg: true, staffOnly: true },
  { id: "admin", path: "/admin", label: "nav.admin", icon: "admin", ready: true, adminOnly: true, staffOnly: true },
  { id: "settings", path: "/settings", label: "nav.settings", icon: "settings", ready: true },
];

export function visibleNavItems({ isAdmin, hasOrg }) {
  const current = org();
  const isSchool = current?.kind === "school";
  const isStaff = !current || !current.member_kind || current.member_kind === "staff";
  return NAV_ITEMS.filter(
    (item) =>
      item.ready &&
      (!item.adminOnly || isAdmin) &&
      (!item.needsOrg || hasOrg) &&
      (!item.schoolOnly || isSchool) &&
      (!item.staffOnly || isStaff),
  );
}

/** Which nav item a path belongs to ("/admin/members" → "admin"). */
export function navIdFor(pathname) {
  let best = null;
  for (const item of NAV_ITEMS) {
    if (item.path === "/" ? pathname === "/" : pathname === item.path || pathname.startsWith(item.path + "/")) best = item.id;
  }
  return best;
}
