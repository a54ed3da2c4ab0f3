// The frame of /admin/attendance/*: the admin header and tabs, then attendance's own tabs
// (groups, today's board, the monthly report, flagged punches, the holiday calendar).

import { t } from "../../i18n.js";
import { h } from "../../ui.js";
import { adminFrame } from "./layout.js";

export const ATTENDANCE_TABS = [
  { id: "groups", path: "/admin/attendance", label: "attendanceAdmin.tabGroups" },
  { id: "today", path: "/admin/attendance/today", label: "attendanceAdmin.tabToday" },
  { id: "report", path: "/admin/attendance/report", label: "attendanceAdmin.tabReport" },
  { id: "review", path: "/admin/attendance/review", label: "attendanceAdmin.tabReview" },
  { id: "calendar", path: "/admin/attendance/calendar", label: "attendanceAdmin.tabCalendar" },
  { id: "roster", path: "/admin/attendance/roster", label: "attendanceAdmin.tabRoster" },
];

/** Admin frame + attendance tabs; returns the content container. */
export function attendanceFrame(ctx, active, ...actions) {
  const outer = adminFrame(ctx, "attendance", ...actions);
  const content = h("div", { class: "att-admin" });
  outer.append(
    h(
      "nav",
      { class: "tabs tabs-sub", "aria-label": t("attendanceAdmin.sections"), "data-testid": "att-tabs" },
      ATTENDANCE_TABS.map((tab) => h("a", { href: tab.path, class: "tab", "aria-current": tab.id === active ? "page" : null, "data-testid": `att-tab-${tab.id}` }, t(tab.label))),
    ),
    content,
  );
  return content;
}
