// /attendance (考勤打卡): today's card with the clock-in button, then the month calendar and
// totals. Live: my own punches (another device) and day updates (approved leave, a review)
// reload both; admins get a link to the attendance admin pages.

import { t } from "../../i18n.js";
import { h, debounce } from "../../ui.js";
import { isAdmin } from "../../state.js";
import { punchCard } from "./punch.js";
import { monthCard } from "./month.js";

export function render(ctx) {
  ctx.main.append(
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, t("attendance.title")),
      isAdmin() ? h("div", { class: "page-actions" }, h("a", { class: "btn", href: "/admin/attendance", "data-testid": "attendance-admin-link" }, t("attendance.manage"))) : null,
    ),
  );
  const month = monthCard(ctx);
  const today = punchCard(ctx, { onPunched: () => month.reload() });
  ctx.main.append(h("div", { class: "att-page", "data-testid": "attendance-page" }, today.el, month.el));
  const reloadMonth = debounce(() => month.reload(), 300);
  ctx.on("attendance.punched", reloadMonth);
  ctx.on("attendance.day_updated", reloadMonth);
  // Not awaited: the position can take seconds; the cleanup must be registered now.
  today.refresh({ relocate: true }).catch((e) => console.warn(e));
  month.reload();
  return () => today.dispose();
}
