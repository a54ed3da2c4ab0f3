// /reports/stats — admins and department managers: for a template and a span of days
// (default: this month so far) and optionally a department, who wrote on time, late, not
// at all, or is not due yet; a per-department summary; the trend per period as CSS bars;
// Export XLSX / CSV with a progress bar (the attendance report's download approach).

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, emptyState, uid } from "../../ui.js";
import { fetchDepartments, buildTree, departmentOptions } from "../../depts.js";
import { localDay } from "../attendance/common.js";
import { exportControls } from "../../exports.js";
import { reportsFrame, templateName, periodText, statsForbidden } from "./common.js";

const STATES = ["on_time", "late", "missing", "pending"];

function select(id, testid, options, value) {
  return h("select", { id, "data-testid": testid }, options.map((o) => h("option", { value: o.value, selected: o.value === value }, o.label)));
}

function peopleTable(report) {
  if (!report.rows.length) return emptyState(t("reports.statsEmpty"), "stats-empty");
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table table-compact rpt-stats-table", "data-testid": "stats-table" },
      h("caption", { class: "sr-only" }, t("reports.statsPeople")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("common.name")), h("th", { scope: "col" }, t("common.departments")), ["due", ...STATES].map((c) => h("th", { scope: "col" }, t(`reports.state.${c}`))))),
      h(
        "tbody",
        {},
        report.rows.map((r) =>
          h(
            "tr",
            { "data-testid": "stats-row", "data-user-id": r.user_id },
            h("th", { scope: "row" }, r.name),
            h("td", {}, (r.departments || []).join(t("common.listSep")) || "—"),
            ["due", ...STATES].map((c) => h("td", { "data-col": c }, String(r[c]))),
          ),
        ),
      ),
    ),
  );
}

function departmentTable(report) {
  if (!report.departments.length) return null;
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table table-compact", "data-testid": "stats-departments" },
      h("caption", {}, t("reports.statsByDepartment")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("reports.department")), h("th", { scope: "col" }, t("reports.people")), ["on_time", "late", "missing"].map((c) => h("th", { scope: "col" }, t(`reports.state.${c}`))))),
      h(
        "tbody",
        {},
        report.departments.map((d) =>
          h(
            "tr",
            { "data-testid": "stats-department" },
            h("th", { scope: "row" }, d.department || t("reports.noDepartment")),
            h("td", {}, String(d.people)),
            ["on_time", "late", "missing"].map((c) => h("td", { "data-col": c }, String(d[c]))),
          ),
        ),
      ),
    ),
  );
}

function trendView(report) {
  if (!report.trend.length) return h("p", { class: "muted small", "data-testid": "stats-trend-empty" }, t("reports.noPeriods"));
  const most = Math.max(1, ...report.trend.map((p) => STATES.reduce((n, s) => n + p[s], 0)));
  return h(
    "div",
    {},
    h("ul", { class: "rpt-legend", "aria-hidden": "true" }, STATES.map((s) => h("li", {}, h("span", { class: `rpt-swatch rpt-${s}` }), t(`reports.state.${s}`)))),
    h(
      "ol",
      { class: "rpt-trend", "data-testid": "stats-trend" },
      report.trend.map((p) => {
        const text = STATES.map((s) => `${t(`reports.state.${s}`)} ${p[s]}`).join(t("common.listSep"));
        return h(
          "li",
          { class: "rpt-trend-row", "data-testid": "stats-trend-period", "data-key": p.key },
          h("span", { class: "rpt-trend-key" }, periodText(report.period, p.key)),
          h(
            "span",
            { class: "rpt-trend-bar", role: "img", "aria-label": `${periodText(report.period, p.key)}: ${text}` },
            STATES.filter((s) => p[s]).map((s) => h("span", { class: `rpt-seg rpt-${s}`, style: `width:${(p[s] / most) * 100}%`, title: `${t(`reports.state.${s}`)} ${p[s]}` })),
          ),
          h("span", { class: "rpt-trend-nums muted small", "aria-hidden": "true" }, STATES.map((s) => p[s]).join(" / ")),
        );
      }),
    ),
  );
}

function totals(report) {
  const sum = Object.fromEntries(STATES.map((s) => [s, report.rows.reduce((n, r) => n + r[s], 0)]));
  return h(
    "dl",
    { class: "att-summary rpt-summary", "data-testid": "stats-summary" },
    STATES.map((s) => h("div", { class: "att-sum-item" }, h("dt", {}, t(`reports.state.${s}`)), h("dd", { "data-testid": `stats-total-${s}` }, String(sum[s])))),
  );
}

export async function render(ctx) {
  const { content, stop } = reportsFrame(ctx, "stats");
  const holder = h("div", {}, loading());
  content.append(holder);
  let templates;
  let departments;
  try {
    [templates, departments] = await Promise.all([api.get("/report-templates"), fetchDepartments().catch(() => [])]);
  } catch (error) {
    clear(holder, h("p", { class: "notice notice-error" }, errorText(error)));
    return stop;
  }
  if (!ctx.isCurrent()) return stop;
  templates = templates.filter((x) => x.rules.period !== "none");
  if (!templates.length) {
    clear(holder, emptyState(t("reports.noTemplates"), "stats-empty"));
    return stop;
  }
  const today = localDay();
  const ids = { tpl: uid("tpl"), first: uid("first"), last: uid("last"), dept: uid("dept") };
  const initial = templates.find((x) => x.builtin === "daily") || templates[0];
  const template = select(ids.tpl, "stats-template", templates.map((x) => ({ value: x.id, label: templateName(x) })), initial.id);
  const first = h("input", { type: "date", id: ids.first, value: `${today.slice(0, 8)}01`, "data-testid": "stats-first" });
  const last = h("input", { type: "date", id: ids.last, value: today, "data-testid": "stats-last" });
  const dept = select(ids.dept, "stats-department", departmentOptions(buildTree(departments).roots, { emptyLabel: t("reports.allPeople") }), "");
  const out = h("div", { "aria-live": "polite", "aria-busy": "true", "data-testid": "stats-result" }, loading());
  const exports = exportControls({
    testid: "stats",
    request: (format) => {
      const q = query();
      if (!q.first || !q.last) return null;
      const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([, v]) => v)), format });
      return { url: `/api/v1/reports/stats/export?${params}`, name: `reports-${q.first}-${q.last}.${format}` };
    },
  });
  clear(
    holder,
    h(
      "section",
      { class: "card", "aria-labelledby": "rpt-stats-h" },
      h("h2", { id: "rpt-stats-h" }, t("reports.statsTitle")),
      h(
        "div",
        { class: "rpt-filters" },
        h("div", { class: "field" }, h("label", { for: ids.tpl }, t("reports.template")), template),
        h("div", { class: "field" }, h("label", { for: ids.first }, t("reports.since")), first),
        h("div", { class: "field" }, h("label", { for: ids.last }, t("reports.until")), last),
        h("div", { class: "field" }, h("label", { for: ids.dept }, t("reports.department")), dept),
      ),
      exports.buttons,
      exports.progress,
      out,
    ),
  );

  const query = () => ({ template_id: template.value, first: first.value, last: last.value, department_id: dept.value || undefined });

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const q = query();
    if (!q.first || !q.last) return;
    out.setAttribute("aria-busy", "true");
    try {
      const report = await api.get("/reports/stats", q);
      if (mine !== seq || !ctx.isCurrent()) return;
      out.setAttribute("aria-busy", "false");
      clear(
        out,
        totals(report),
        h("h3", {}, t("reports.statsPeople")),
        peopleTable(report),
        departmentTable(report),
        h("h3", {}, t("reports.trend")),
        trendView(report),
      );
    } catch (error) {
      if (mine !== seq) return;
      out.setAttribute("aria-busy", "false");
      if (error.code === "stats_forbidden" && !dept.value) {
        statsForbidden();
        ctx.main.querySelector("[data-testid=reports-tab-stats]")?.setAttribute("hidden", "");
      }
      clear(out, h("p", { class: "notice notice-error", "data-testid": "stats-error" }, errorText(error)));
    }
  }
  for (const input of [template, first, last, dept]) input.addEventListener("change", load);
  ctx.on("report.submitted", () => load());
  await load();
  return stop;
}
