// /approvals/new/:formId — a request form rendered from the form's fields. For leave it also
// shows the working days the request covers (as the server counts them: half-days, weekends
// excluded) and what is left of that leave type this year. Server errors go next to the field
// they name (details.field), else into the box at the top.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, formError, showError, clearErrors, busy, toast, loading, checkbox } from "../../ui.js";
import { fetchDepartments, buildTree } from "../../depts.js";
import { formName, leaveTypeName, daysText, formatDays } from "./common.js";
import { fieldInput } from "./fields.js";

/** Working days from one half-day to another (Sat/Sun excluded), or null if not a period. */
export function leaveDays(start, startHalf, end, endHalf) {
  const toDay = (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000 : null;
  };
  const a = toDay(start);
  const b = toDay(end);
  if (a === null || b === null) return null;
  const first = a * 2 + (startHalf === "pm" ? 1 : 0);
  const last = b * 2 + (endHalf === "am" ? 0 : 1);
  if (last < first || last - first > 2 * 366) return null;
  let halves = 0;
  for (let s = first; s <= last; s++) {
    const weekday = new Date(Math.floor(s / 2) * 86400000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) halves += 1;
  }
  return halves / 2;
}

/** Hours from "HH:MM" to "HH:MM" on one day, or null. */
export function leaveHours(start, end) {
  const minutes = (v) => (/^\d{2}:\d{2}$/.test(v || "") ? Number(v.slice(0, 2)) * 60 + Number(v.slice(3)) : null);
  const a = minutes(start);
  const b = minutes(end);
  return a === null || b === null || b <= a ? null : Math.round(((b - a) / 60) * 100) / 100;
}

export async function render(ctx) {
  const formId = ctx.params.formId;
  ctx.main.append(h("a", { href: "/approvals", class: "back-link", "data-testid": "approval-back" }, "‹ ", t("approvals.tabStart")));
  const holder = h("div", {}, loading());
  ctx.main.append(holder);
  let forms;
  let departments;
  try {
    [forms, departments] = await Promise.all([api.get("/approvals/forms"), fetchDepartments().catch(() => [])]);
  } catch (error) {
    clear(holder, h("p", { class: "notice notice-error" }, errorText(error)));
    return;
  }
  if (!ctx.isCurrent()) return;
  const form = forms.find((f) => f.id === formId && f.enabled);
  if (!form) {
    clear(holder, h("div", { class: "page-head" }, h("h1", {}, t("nav.approvals"))), h("p", { class: "notice notice-error", "data-testid": "approval-form-missing" }, t("approvals.formMissing")));
    return;
  }
  const isLeave = form.builtin === "leave";
  const tree = buildTree(departments);
  const inputs = [];
  const summary = h("p", { class: "notice approval-leave-summary", "data-testid": "leave-summary", "aria-live": "polite", hidden: true });
  let balances = null;

  const byKey = (k) => inputs.find((i) => i.key === k);
  let leaveSeq = 0;
  async function updateLeave() {
    if (!isLeave) return;
    // An earlier call still waiting for the balances must not paint over a later one.
    const mine = ++leaveSeq;
    const v = (k) => byKey(k)?.value();
    const hours = hourly ? leaveHours(v("start_time"), v("end_time")) : null;
    const days = hourly ? (hours === null ? null : Math.round((hours / 8) * 100) / 100) : leaveDays(v("start"), v("start_half") || "am", v("end") || v("start"), v("end_half") || "pm");
    const type = v("leave_type");
    const year = (v("start") || "").slice(0, 4) || String(new Date().getFullYear());
    const parts = [];
    if (hours !== null) parts.push(h("strong", { "data-testid": "leave-hours" }, t("approvals.hoursCount", { hours: formatDays(hours), days: daysText(days) })));
    else if (days !== null) parts.push(h("strong", { "data-testid": "leave-days" }, daysText(days)));
    if (type) {
      if (!balances || balances.year !== year) {
        try {
          balances = { year, list: await api.get("/leave/balances", { year }) };
        } catch {
          balances = { year, list: [] };
        }
        if (!ctx.isCurrent()) return;
      }
      if (mine !== leaveSeq) return;
      const row = balances.list.find((b) => b.leave_type === type);
      parts.push(
        h(
          "span",
          { "data-testid": "leave-balance" },
          row ? t("approvals.balanceLeft", { type: leaveTypeName(type), left: formatDays(row.left_days), year }) : t("approvals.balanceUnlimited", { type: leaveTypeName(type) }),
        ),
      );
      if (row && days !== null && days > row.left_days) parts.push(h("span", { class: "tag tag-danger", "data-testid": "leave-short" }, t("approvals.balanceShort")));
    }
    summary.hidden = !parts.length;
    clear(summary, parts.flatMap((p, i) => (i ? [" · ", p] : [p])));
  }

  const defaults = isLeave ? { start_half: "am", end_half: "pm" } : {};
  // ?date=YYYY-MM-DD (from the attendance calendar): leave starts and ends that day; other
  // forms get it in their first date (or date range) field.
  const day = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query?.get("date") || "") ? ctx.query.get("date") : null;
  if (day && isLeave) Object.assign(defaults, { start: day, end: day });
  else if (day) {
    const first = form.fields.find((f) => f.type === "date" || f.type === "daterange");
    if (first) defaults[first.key] = first.type === "date" ? day : [day, day];
  }
  const fctx = { builtin: form.builtin, tree, defaults, onChange: () => updateLeave() };
  for (const f of form.fields) inputs.push(fieldInput(f, fctx));
  // Leave by the hour: one day, a start and an end time instead of half-days.
  let hourly = false;
  const hourToggle = isLeave && byKey("start_time") && byKey("end_time") ? byHourToggle() : null;
  function byHourToggle() {
    const timed = ["start_time", "end_time"].map(byKey);
    const daily = ["start_half", "end", "end_half"].map(byKey).filter(Boolean);
    for (const i of timed) {
      const own = i.value;
      i.value = () => (hourly ? own() : null);
    }
    const end = byKey("end");
    if (end) {
      const own = end.value;
      end.value = () => (hourly ? byKey("start").value() : own());
    }
    const apply = () => {
      for (const i of timed) i.el.hidden = !hourly;
      for (const i of daily) i.el.hidden = hourly;
      updateLeave();
    };
    const box = checkbox({ label: t("approvals.byHour"), name: "by_hour", testid: "leave-by-hour", onchange: (e) => ((hourly = e.target.checked), apply()) });
    box.append(h("p", { class: "hint" }, t("approvals.byHourHint")));
    apply();
    return box;
  }

  const el = h(
    "form",
    { class: "card stack approval-form", novalidate: true, "data-testid": "approval-form", "data-form-id": form.id, "data-builtin": form.builtin || "" },
    formError(),
    inputs.flatMap((i) => (hourToggle && i.key === "start" ? [hourToggle, i.el] : [i.el])),
    isLeave ? summary : null,
    h("div", { class: "actions" }, h("a", { href: "/approvals", class: "btn" }, t("common.cancel")), h("button", { type: "submit", class: "btn btn-primary", "data-testid": "approval-submit" }, t("approvals.submit"))),
  );
  clear(
    holder,
    h("div", { class: "page-head" }, h("h1", { "data-testid": "approval-form-title" }, formName(form))),
    form.description ? h("p", { class: "muted" }, form.description) : null,
    el,
  );
  if (isLeave) updateLeave();

  el.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors(el);
    if (inputs.some((i) => i.busy())) return toast(t("approvals.waitUpload"), { type: "info" });
    const values = {};
    for (const i of inputs) {
      const v = i.value();
      if (v !== null) values[i.key] = v;
    }
    busy(el, async () => {
      try {
        const request = await api.post("/approvals", { form_id: form.id, values });
        toast(t("approvals.submitted"), { type: "success" });
        ctx.navigate(`/approvals/request/${encodeURIComponent(request.id)}`);
      } catch (error) {
        showError(el, error);
        if (!error.field) el.querySelector(".form-error")?.scrollIntoView({ block: "nearest" });
      }
    });
  });
}
