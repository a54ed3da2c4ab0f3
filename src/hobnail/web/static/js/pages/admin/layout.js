// Shared frame for /admin/*: title and tab links.

import { t } from "../../i18n.js";
import { h } from "../../ui.js";

export const ADMIN_TABS = [
  { id: "org", path: "/admin", label: "admin.tabOrg" },
  { id: "members", path: "/admin/members", label: "admin.tabMembers" },
  { id: "departments", path: "/admin/departments", label: "admin.tabDepartments" },
  { id: "invitations", path: "/admin/invitations", label: "admin.tabInvitations" },
  { id: "import", path: "/admin/import", label: "admin.tabImport" },
  { id: "ding", path: "/admin/ding", label: "admin.tabDing" },
  { id: "files", path: "/admin/files", label: "admin.tabFiles" },
  { id: "approvals", path: "/admin/approvals", label: "admin.tabApprovals" },
  { id: "attendance", path: "/admin/attendance", label: "admin.tabAttendance" },
  { id: "reports", path: "/admin/reports", label: "admin.tabReports" },
  { id: "apps", path: "/admin/apps", label: "admin.tabApps" },
  { id: "school", path: "/admin/school", label: "admin.tabSchool" },
];

/** Appends the admin header + tabs to ctx.main and returns the content container. */
export function adminFrame(ctx, active, ...actions) {
  const content = h("div", { class: "admin-content" });
  ctx.main.append(
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, t(ADMIN_TABS.find((tab) => tab.id === active).label)),
      actions.length ? h("div", { class: "page-actions" }, actions) : null,
    ),
    h(
      "nav",
      { class: "tabs", "aria-label": t("nav.admin"), "data-testid": "admin-tabs" },
      ADMIN_TABS.map((tab) =>
        h(
          "a",
          { href: tab.path, class: "tab", "aria-current": tab.id === active ? "page" : null, "data-testid": `admin-tab-${tab.id}` },
          t(tab.label),
        ),
      ),
    ),
    content,
  );
  // The tabs scroll sideways when they do not fit: keep the current one in sight.
  const current = ctx.main.querySelector("[data-testid=admin-tabs] [aria-current=page]");
  if (current) {
    const tabs = current.parentElement;
    const overflow = current.getBoundingClientRect().right - tabs.getBoundingClientRect().right;
    if (overflow > 0) tabs.scrollLeft += overflow + 16;
  }
  return content;
}
