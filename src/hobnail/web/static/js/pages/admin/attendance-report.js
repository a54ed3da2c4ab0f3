// /admin/attendance/report: the month per person (days required and present, late, early,
// absent, missing punches, field, trip, overtime, leave) and Export XLSX / CSV with a
// progress bar (exports.js; the server names the file attendance-YYYY-MM.xlsx).

import { t, errorText } from "../../i18n.js";
import { api } from "../../api.js";
import { exportControls } from "../../exports.js";
import { h, clear, loading, emptyState, uid } from "../../ui.js";
import { leaveTypeName } from "../approvals/common.js";
import { formatNumber, localDay } from "../attendance/common.js";
import { attendanceFrame } from "./attendance-layout.js";

const COLUMNS = ["required_days", "present_days", "late_count", "late_minutes", "early_count", "early_minutes", "absent_days", "missing_punches", "field_days", "trip_days", "overtime_hours"];

export async function render(ctx) {
  const content = attendanceFrame(ctx, "report");
  const monthId = uid("month");
  const monthInput = h("input", { type: "month", id: monthId, value: localDay().slice(0, 7), "data-testid": "report-month" });
  const exports = exportControls({
    testid: "report",
    request: (format) => (monthInput.value ? { url: `/api/v1/attendance/reports/monthly/export?${new URLSearchParams({ month: monthInput.value, format })}`, name: `attendance-${monthInput.value}.${format}` } : null),
  });
  const table = h("div", { class: "table-wrap" }, loading());
  content.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "report-h" },
      h("div", { class: "card-head" }, h("h2", { id: "report-h" }, t("attendanceAdmin.report")), h("div", { class: "field inline-field" }, h("label", { for: monthId }, t("attendanceAdmin.month")), monthInput)),
      exports.buttons,
      exports.progress,
      table,
    ),
  );

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const report = await api.get("/attendance/reports/monthly", { month: monthInput.value });
      if (mine !== seq || !ctx.isCurrent()) return;
      if (!report.rows.length) return clear(table, emptyState(t("attendanceAdmin.reportEmpty"), "report-empty"));
      clear(
        table,
        h(
          "table",
          { class: "table table-compact report-table", "data-testid": "report-table" },
          h("caption", { class: "sr-only" }, t("attendanceAdmin.report")),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("attendanceAdmin.col.name")), h("th", { scope: "col" }, t("attendanceAdmin.col.departments")), COLUMNS.map((c) => h("th", { scope: "col" }, t(`attendanceAdmin.col.${c}`))), h("th", { scope: "col" }, t("attendanceAdmin.col.leave")))),
          h(
            "tbody",
            {},
            report.rows.map((r) =>
              h(
                "tr",
                { "data-testid": "report-row", "data-user-id": r.user_id },
                h("th", { scope: "row" }, r.name),
                h("td", {}, (r.departments || []).join(t("common.listSep"))),
                COLUMNS.map((c) => h("td", { "data-col": c }, formatNumber(r[c]))),
                h("td", {}, Object.entries(r.leave || {}).map(([type, days]) => `${leaveTypeName(type)} ${formatNumber(days)}`).join(t("common.listSep")) || "—"),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      if (mine === seq) clear(table, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  monthInput.addEventListener("change", load);
  await load();
}
