// Shared bits of the work report screens (日志): template and field names in the reader's
// language, the page frame with its tabs (Write, Received, Sent and, for admins and
// department managers, Statistics), the unread count of received reports (tab + nav
// badge, kept live from the event stream) and the "write your report" reminder toast.

import { api } from "../../api.js";
import { t, has } from "../../i18n.js";
import { h, toast } from "../../ui.js";
import * as events from "../../events.js";
import { onSessionChange, onShellBuilt } from "../../app.js";
import { org, user, isAdmin } from "../../state.js";
import { formatTime } from "../attendance/common.js";

export const TABS = [
  { id: "write", path: "/reports", label: "reports.tabWrite" },
  { id: "received", path: "/reports/received", label: "reports.tabReceived" },
  { id: "sent", path: "/reports/sent", label: "reports.tabSent" },
  { id: "stats", path: "/reports/stats", label: "reports.tabStats" },
];

export const PERIODS = ["daily", "weekly", "monthly", "none"];

const tr = (key, fallback) => (has(key) ? t(key) : fallback);

/** A template's name: ours for the built-in ones, the admin's for custom templates. */
export function templateName(template) {
  if (!template) return "";
  return template.builtin ? tr(`reports.template.${template.builtin}`, template.name) : template.name;
}

/** A field's label; built-in templates' fields have translations of their own. */
export function fieldLabel(field, builtin) {
  return builtin ? tr(`reports.field.${builtin}.${field.key}`, field.label) : field.label;
}

/** "2026-12-07" / "2026-12" as the period it names, for a template's period kind. */
export function periodText(period, key) {
  if (!key) return "";
  if (period === "weekly") return t("reports.weekOf", { day: key });
  return key;
}

/** The first words of a report's first text, for list rows. */
export function excerpt(report) {
  for (const f of report.fields || []) {
    const v = report.values?.[f.key];
    if (typeof v === "string" && v.trim()) return v.length > 120 ? `${v.slice(0, 120)}…` : v;
  }
  return "";
}

// ---------- may I see statistics? ----------

let statsAllowed = null; // null: not known yet

/** Admins may; department managers may for their departments (the server decides: 403). */
export async function canSeeStats() {
  if (isAdmin()) return true;
  if (statsAllowed !== null) return statsAllowed;
  try {
    const departments = await api.get("/departments");
    const me = user()?.id;
    statsAllowed = departments.some((d) => (d.manager_ids || []).includes(me));
  } catch {
    statsAllowed = false;
  }
  return statsAllowed;
}

export function statsForbidden() {
  statsAllowed = false;
}

// ---------- the unread count ----------

let unread = 0;
let nav = null;
let seq = 0;
const listeners = new Set();

export function unreadCount() {
  return unread;
}

function countEl(n) {
  return [h("span", { "aria-hidden": "true" }, n > 99 ? "99+" : String(n)), h("span", { class: "sr-only" }, t("reports.unreadTotal", { count: n }))];
}

function updateBadge() {
  const link = nav && nav.querySelector("[data-testid=nav-reports]");
  if (!link) return;
  let badge = link.querySelector("[data-testid=reports-badge]");
  if (!badge) {
    badge = h("span", { class: "badge", "data-testid": "reports-badge", hidden: true });
    link.append(badge);
  }
  badge.hidden = !unread;
  badge.replaceChildren(...countEl(unread));
}

/** Re-count the received reports I have not opened. */
export async function refreshUnread() {
  const mine = ++seq;
  if (!org()) return;
  try {
    const list = await api.get("/reports", { box: "inbox", limit: 200 });
    if (mine !== seq) return;
    unread = list.filter((r) => r.read_by_me === false).length;
  } catch {
    return;
  }
  updateBadge();
  for (const fn of listeners) fn(unread);
}

let timer = null;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(refreshUnread, 150);
}

export function install() {
  for (const type of ["report.submitted", "stream.resync"]) events.on(type, soon);
  events.on("report.reminder", (frame) => {
    const data = frame.data || {};
    const name = data.name || t("nav.reports");
    toast(t("reports.remind", { name, time: formatTime(data.deadline) }), { type: "info", timeout: 15000 });
  });
  onSessionChange((session) => {
    unread = 0;
    statsAllowed = null;
    if (session && org()) refreshUnread();
  });
  onShellBuilt((n) => {
    nav = n;
    updateBadge();
  });
}

/** Title, tabs (the unread count on Received; Statistics only when allowed); returns {content, stop}. */
export function reportsFrame(ctx, active, ...actions) {
  const content = h("div", { class: "reports-content" });
  const count = h("span", { class: "tab-count", "data-testid": "reports-tab-count", hidden: !unread }, countEl(unread));
  const statsTab = h("a", { href: "/reports/stats", class: "tab", hidden: active !== "stats", "aria-current": active === "stats" ? "page" : null, "data-testid": "reports-tab-stats" }, t("reports.tabStats"));
  ctx.main.append(
    h("div", { class: "page-head" }, h("h1", {}, t("nav.reports")), actions.length ? h("div", { class: "page-actions" }, actions) : null),
    h(
      "nav",
      { class: "tabs", "aria-label": t("nav.reports"), "data-testid": "reports-tabs" },
      TABS.filter((tab) => tab.id !== "stats").map((tab) =>
        h(
          "a",
          { href: tab.path, class: "tab", "aria-current": tab.id === active ? "page" : null, "data-testid": `reports-tab-${tab.id}` },
          t(tab.label),
          tab.id === "received" ? count : null,
        ),
      ),
      statsTab,
    ),
    content,
  );
  canSeeStats().then((ok) => (statsTab.hidden = !ok && active !== "stats"));
  listeners.add(onCount);
  function onCount(n) {
    count.hidden = !n;
    count.replaceChildren(...countEl(n));
  }
  return { content, stop: () => listeners.delete(onCount) };
}
