// The month on /attendance: a calendar (Monday first) with each day's status as colour AND
// text, a day opens a dialog saying why (reasons in words, punches) with links to ask for a
// make-up punch or leave for that day, and the month's totals.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, dialog, loading } from "../../ui.js";
import { leaveTypeName } from "../approvals/common.js";
import { statusChip, statusClass, statusLabel, reasonList, formatTime, formatDay, monthLabel, shiftMonth, formatNumber, localDay } from "./common.js";

let formsCache = null;

async function builtinForms() {
  if (!formsCache) {
    formsCache = api
      .get("/approvals/forms")
      .then((forms) => Object.fromEntries(forms.filter((f) => f.enabled && f.builtin).map((f) => [f.builtin, f.id])))
      .catch(() => ((formsCache = null), {}));
  }
  return formsCache;
}

function summaryView(s) {
  const item = (key, value, testid) => h("div", { class: "att-sum-item", "data-testid": testid }, h("dt", {}, t(key)), h("dd", {}, value));
  const leave = Object.entries(s.leave || {});
  return h(
    "dl",
    { class: "att-summary", "data-testid": "month-summary" },
    item("attendance.sum.required", formatNumber(s.required_days), "sum-required"),
    item("attendance.sum.present", formatNumber(s.present_days), "sum-present"),
    item("attendance.sum.late", t("attendance.sum.timesMinutes", { count: s.late_count, minutes: s.late_minutes }), "sum-late"),
    item("attendance.sum.early", t("attendance.sum.timesMinutes", { count: s.early_count, minutes: s.early_minutes }), "sum-early"),
    item("attendance.sum.absent", formatNumber(s.absent_days), "sum-absent"),
    item("attendance.sum.missing", formatNumber(s.missing_punches), "sum-missing"),
    item("attendance.sum.field", formatNumber(s.field_days), "sum-field"),
    item("attendance.sum.trip", formatNumber(s.trip_days), "sum-trip"),
    item("attendance.sum.overtime", formatNumber(s.overtime_hours), "sum-overtime"),
    leave.length ? item("attendance.sum.leave", leave.map(([type, days]) => `${leaveTypeName(type)} ${formatNumber(days)}`).join(t("common.listSep")), "sum-leave") : null,
  );
}

async function dayDialog(ctx, day, punches, tz) {
  const forms = await builtinForms();
  const mine = punches.filter((p) => p.work_date === day.day);
  const canAsk = day.status !== "upcoming" && day.status !== "none";
  const link = (kind, label, testid) =>
    forms[kind] ? h("a", { class: "btn", href: `/approvals/new/${encodeURIComponent(forms[kind])}?date=${day.day}`, "data-testid": testid, onclick: () => d.close() }, label) : null;
  const d = dialog({
    title: formatDay(day.day, { long: true }),
    testid: "day-dialog",
    content: h(
      "div",
      { class: "stack" },
      h("div", { class: "att-result-line" }, statusChip(day.status, "day-status"), day.in_at ? h("span", { class: "small" }, t("attendance.inAt", { time: formatTime(day.in_at, tz) })) : null, day.out_at ? h("span", { class: "small" }, t("attendance.outAt", { time: formatTime(day.out_at, tz) })) : null),
      reasonList(day.reasons, "day-reasons") || h("p", { class: "muted small" }, day.status === "normal" ? t("attendance.allGood") : t("attendance.noDetails")),
      mine.length
        ? h(
            "ul",
            { class: "att-punches", "data-testid": "day-punches" },
            mine.map((p) => h("li", { class: "att-punch" }, h("strong", {}, formatTime(p.at, tz)), h("span", {}, t(p.kind === "out" ? "attendance.kindOut" : "attendance.kindIn")), h("span", { class: "muted small" }, p.place || t(`attendance.where.${p.location_result}`)))),
          )
        : null,
      h(
        "div",
        { class: "actions" },
        canAsk ? link("makeup", t("attendance.askMakeup"), "day-makeup") : null,
        link("leave", t("attendance.askLeave"), "day-leave"),
      ),
      h("p", { class: "muted small" }, t("attendance.askHint")),
    ),
  });
}

/** The month card. Returns {el, reload()}. */
export function monthCard(ctx) {
  let month = localDay().slice(0, 7);
  let seq = 0;
  let data = null;
  let punches = [];
  const title = h("h2", { id: "att-month-h", "data-testid": "month-title" });
  const body = h("div", {}, loading());
  const prev = h("button", { type: "button", class: "btn btn-small", "data-testid": "month-prev", "aria-label": t("attendance.prevMonth"), onclick: () => go(-1) }, "‹");
  const next = h("button", { type: "button", class: "btn btn-small", "data-testid": "month-next", "aria-label": t("attendance.nextMonth"), onclick: () => go(1) }, "›");
  const el = h("section", { class: "card att-month", "aria-labelledby": "att-month-h", "data-testid": "attendance-month" }, h("div", { class: "card-head" }, title, h("div", { class: "att-month-nav" }, prev, next)), body);

  function go(delta) {
    month = shiftMonth(month, delta);
    reload();
  }

  function calendar() {
    const today = localDay(new Date(), data.timezone);
    const first = new Date(`${month}-01T00:00:00Z`);
    const pad = (first.getUTCDay() + 6) % 7; // Monday first
    const weekdays = [1, 2, 3, 4, 5, 6, 0].map((d) => new Intl.DateTimeFormat(document.documentElement.lang || "en", { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 7 + d))));
    const cells = [];
    for (let i = 0; i < pad; i++) cells.push(h("li", { class: "att-cell att-blank", "aria-hidden": "true" }));
    for (const day of data.days) {
      const n = Number(day.day.slice(8));
      cells.push(
        h(
          "li",
          { class: "att-cell" },
          h(
            "button",
            {
              type: "button",
              class: `att-day ${statusClass(day.status)}${day.day === today ? " is-today" : ""}`,
              "data-testid": "month-day",
              "data-day": day.day,
              "data-status": day.status,
              "aria-current": day.day === today ? "date" : null,
              "aria-label": `${formatDay(day.day)}: ${statusLabel(day.status)}`,
              onclick: () => dayDialog(ctx, day, punches, data.timezone),
            },
            h("span", { class: "att-day-n" }, String(n)),
            day.status !== "none" ? h("span", { class: "att-day-s" }, statusLabel(day.status)) : null,
          ),
        ),
      );
    }
    return h(
      "div",
      { class: "att-cal" },
      h("ol", { class: "att-weekdays", "aria-hidden": "true" }, weekdays.map((w) => h("li", {}, w))),
      h("ol", { class: "att-grid", "data-testid": "month-calendar", "aria-label": monthLabel(month) }, cells),
    );
  }

  async function reload() {
    const mine = ++seq;
    clear(title, t("attendance.month"), " · ", monthLabel(month));
    try {
      const [m, p] = await Promise.all([api.get("/attendance/me/month", { month }), api.get("/attendance/me/punches", { month }).catch(() => [])]);
      if (mine !== seq || !ctx.isCurrent()) return;
      data = m;
      punches = p;
      if (!m.in_group && m.days.every((d) => d.status === "none")) return clear(body, h("p", { class: "muted", "data-testid": "month-empty" }, t("attendance.notInGroup")));
      clear(body, calendar(), summaryView(m.summary));
    } catch (error) {
      if (mine === seq) clear(body, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }

  return { el, reload };
}
