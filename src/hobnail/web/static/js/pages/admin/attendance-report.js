// /admin/attendance/report: the month per person (days required and present, late, early,
// absent, missing punches, field, trip, overtime, leave) and Export XLSX / CSV. The file is
// fetched with a ReadableStream reader so a progress bar follows Content-Length, then
// handed to the browser as a download (the server names it attendance-YYYY-MM.xlsx).

import { t, errorText } from "../../i18n.js";
import { api, csrfHeaders } from "../../api.js";
import { h, clear, loading, emptyState, toast, uid } from "../../ui.js";
import { leaveTypeName } from "../approvals/common.js";
import { formatNumber, localDay } from "../attendance/common.js";
import { attendanceFrame } from "./attendance-layout.js";

const COLUMNS = ["required_days", "present_days", "late_count", "late_minutes", "early_count", "early_minutes", "absent_days", "missing_punches", "field_days", "trip_days", "overtime_hours"];

function filename(response, fallback) {
  const header = response.headers.get("content-disposition") || "";
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  return m ? decodeURIComponent(m[1]) : fallback;
}

/** GET url as a file with progress(fraction|null); resolves {blob, name}. */
export async function fetchFile(url, fallback, progress) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "*/*", ...csrfHeaders() } });
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    const error = new Error(body?.error?.message || `HTTP ${response.status}`);
    error.code = body?.error?.code || "http_error";
    throw error;
  }
  const total = Number(response.headers.get("content-length")) || 0;
  const chunks = [];
  let received = 0;
  if (response.body && response.body.getReader) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      progress(total ? received / total : null, received);
    }
  } else {
    chunks.push(new Uint8Array(await response.arrayBuffer()));
  }
  progress(1, received);
  return { blob: new Blob(chunks, { type: response.headers.get("content-type") || "application/octet-stream" }), name: filename(response, fallback) };
}

export function save({ blob, name }) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export async function render(ctx) {
  const content = attendanceFrame(ctx, "report");
  const monthId = uid("month");
  const monthInput = h("input", { type: "month", id: monthId, value: localDay().slice(0, 7), "data-testid": "report-month" });
  const bar = h("span", { class: "ding-bar", role: "progressbar", "aria-label": t("attendanceAdmin.exporting"), "aria-valuemin": "0", "aria-valuemax": "100", "data-testid": "report-progress-bar" }, h("span", { class: "ding-bar-fill", style: "width:0%" }));
  const barText = h("span", { class: "muted small", "data-testid": "report-progress-text" });
  const progressBox = h("div", { class: "report-progress", "data-testid": "report-progress", hidden: true, "aria-live": "polite" }, bar, barText);
  const exportButton = (format) => h("button", { type: "button", class: "btn", "data-testid": `report-export-${format}`, onclick: (e) => exportAs(format, e.currentTarget) }, t(`attendanceAdmin.export.${format}`));
  const buttons = [exportButton("xlsx"), exportButton("csv")];
  const table = h("div", { class: "table-wrap" }, loading());
  content.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "report-h" },
      h("div", { class: "card-head" }, h("h2", { id: "report-h" }, t("attendanceAdmin.report")), h("div", { class: "field inline-field" }, h("label", { for: monthId }, t("attendanceAdmin.month")), monthInput)),
      h("div", { class: "actions report-actions" }, buttons),
      progressBox,
      table,
    ),
  );

  async function exportAs(format, button) {
    const month = monthInput.value;
    if (!month) return;
    buttons.forEach((b) => (b.disabled = true));
    button.setAttribute("aria-busy", "true");
    progressBox.hidden = false;
    const fill = bar.firstChild;
    const show = (fraction, bytes) => {
      const pct = fraction === null ? null : Math.round(fraction * 100);
      bar.setAttribute("aria-valuenow", pct === null ? "" : String(pct));
      fill.style.width = `${pct === null ? 50 : pct}%`;
      barText.textContent = pct === null ? t("attendanceAdmin.exportBytes", { kb: Math.ceil(bytes / 1024) }) : t("attendanceAdmin.exportPercent", { percent: pct });
    };
    show(0, 0);
    try {
      const url = `/api/v1/attendance/reports/monthly/export?${new URLSearchParams({ month, format })}`;
      const file = await fetchFile(url, `attendance-${month}.${format}`, show);
      save(file);
      barText.textContent = t("attendanceAdmin.exportDone", { name: file.name });
    } catch (error) {
      barText.textContent = errorText(error);
      toast(errorText(error), { type: "error" });
    } finally {
      buttons.forEach((b) => (b.disabled = false));
      button.removeAttribute("aria-busy");
    }
  }

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
