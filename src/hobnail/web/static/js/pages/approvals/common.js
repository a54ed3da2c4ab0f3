// Shared bits of the approval screens: names of forms, statuses and options in the reader's
// language, the page frame with its tabs, and the "waiting for me" count (tab + nav badge),
// kept live from the event stream.

import { api } from "../../api.js";
import { t, has, getLang } from "../../i18n.js";
import { h } from "../../ui.js";
import * as events from "../../events.js";
import { onSessionChange, onShellBuilt } from "../../app.js";
import { org } from "../../state.js";

export const TABS = [
  { id: "start", path: "/approvals", label: "approvals.tabStart" },
  { id: "todo", path: "/approvals/todo", label: "approvals.tabTodo" },
  { id: "mine", path: "/approvals/mine", label: "approvals.tabMine" },
  { id: "done", path: "/approvals/done", label: "approvals.tabDone" },
  { id: "cc", path: "/approvals/cc", label: "approvals.tabCc" },
  { id: "balance", path: "/approvals/balance", label: "approvals.tabBalance" },
];

export const LEAVE_TYPES = ["annual", "personal", "sick", "compensatory", "marriage", "maternity", "paternity", "bereavement"];
export const BUILTIN_KINDS = ["leave", "overtime", "trip", "makeup", "general"];

const tr = (key, fallback) => (has(key) ? t(key) : fallback);

/** A form's name: ours for the built-in kinds, the admin's for custom forms. */
export function formName(form) {
  return form.builtin ? tr(`approvals.form.${form.builtin}`, form.name) : form.name;
}

export function kindName(kind, fallback) {
  return BUILTIN_KINDS.includes(kind) ? t(`approvals.form.${kind}`) : fallback;
}

/** A field's label; built-in forms' fields have translations of their own. */
export function fieldLabel(field, builtin) {
  return builtin ? tr(`approvals.field.${field.key}`, field.label) : field.label;
}

export function optionLabel(value, builtin) {
  return builtin ? tr(`approvals.option.${value}`, value) : value;
}

export function leaveTypeName(type) {
  return tr(`approvals.option.${type}`, type);
}

const STATUS_CLASS = { pending: "tag-warn", approved: "tag-ok", rejected: "tag-danger", withdrawn: "tag-muted" };

export function statusChip(status, testid = "approval-status") {
  return h("span", { class: `tag ${STATUS_CLASS[status] || ""}`, "data-testid": testid, "data-status": status }, tr(`approvals.status.${status}`, status));
}

export function taskStateLabel(status) {
  return tr(`approvals.task.${status}`, status);
}

export function daysText(days) {
  return t("approvals.days", { count: formatDays(days) });
}

export function formatDays(days) {
  const n = Number(days) || 0;
  // Hourly leave counts hours / 8 days, to the hundredth (0.25 days for 2 hours).
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/** "2026-12-07" as a calendar date in the reader's language (no time zone shift). */
export function formatDay(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  if (!m) return iso || "";
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  try {
    return new Intl.DateTimeFormat(getLang(), { dateStyle: "medium", timeZone: "UTC" }).format(date) + weekday(date);
  } catch {
    return iso;
  }
}

function weekday(date) {
  try {
    return ` (${new Intl.DateTimeFormat(getLang(), { weekday: "short", timeZone: "UTC" }).format(date)})`;
  } catch {
    return "";
  }
}

// ---------- the "waiting for me" count ----------

let todo = 0;
let nav = null;
let seq = 0;
const listeners = new Set();

export function todoCount() {
  return todo;
}

export function onTodoChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function countEl(n) {
  return [h("span", { "aria-hidden": "true" }, n > 99 ? "99+" : String(n)), h("span", { class: "sr-only" }, t("approvals.todoTotal", { count: n }))];
}

function updateBadge() {
  const link = nav && nav.querySelector("[data-testid=nav-approvals]");
  if (!link) return;
  let badge = link.querySelector("[data-testid=approvals-badge]");
  if (!badge) {
    badge = h("span", { class: "badge", "data-testid": "approvals-badge", hidden: true });
    link.append(badge);
  }
  badge.hidden = !todo;
  badge.replaceChildren(...countEl(todo));
}

/** Re-count the requests waiting for me (after any approval event). */
export async function refreshTodo() {
  const mine = ++seq;
  if (!org()) return;
  try {
    const list = await api.get("/approvals", { box: "todo", status: "pending" });
    if (mine !== seq) return;
    todo = list.length;
  } catch {
    return;
  }
  updateBadge();
  for (const fn of listeners) fn(todo);
}

let timer = null;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(refreshTodo, 150);
}

export function install() {
  for (const type of ["approval.updated", "approval.task_assigned", "approval.finished", "stream.resync"]) events.on(type, soon);
  onSessionChange((session) => {
    todo = 0;
    if (session && org()) refreshTodo();
  });
  onShellBuilt((n) => {
    nav = n;
    updateBadge();
  });
}

/** Title, tabs (with the live count on "Waiting for me"); returns the content container. */
export function approvalsFrame(ctx, active, ...actions) {
  const content = h("div", { class: "approvals-content" });
  const count = h("span", { class: "tab-count", "data-testid": "approvals-tab-count", hidden: !todo }, countEl(todo));
  ctx.main.append(
    h("div", { class: "page-head" }, h("h1", {}, t("nav.approvals")), actions.length ? h("div", { class: "page-actions" }, actions) : null),
    h(
      "nav",
      { class: "tabs", "aria-label": t("nav.approvals"), "data-testid": "approvals-tabs" },
      TABS.map((tab) =>
        h(
          "a",
          { href: tab.path, class: "tab", "aria-current": tab.id === active ? "page" : null, "data-testid": `approvals-tab-${tab.id}` },
          t(tab.label),
          tab.id === "todo" ? count : null,
        ),
      ),
    ),
    content,
  );
  const stop = onTodoChange((n) => {
    count.hidden = !n;
    count.replaceChildren(...countEl(n));
  });
  return { content, stop };
}
