// Shared bits of the attendance screens: day statuses and reasons in the reader's language,
// times in the organisation's time zone, the device id kept in localStorage, a uuid per
// press, and the "time to clock in/out" reminder toast (installed once in main.js).

import { t, has, getLang } from "../../i18n.js";
import { h, toast } from "../../ui.js";
import * as events from "../../events.js";
import { orgTimezone } from "../../state.js";
import { leaveTypeName } from "../approvals/common.js";

export const STATUSES = ["normal", "late", "serious_late", "early", "absent", "missing", "field", "pending", "leave", "trip", "rest", "holiday", "upcoming", "none"];

// The colour of a status; the text label always goes with it (never colour alone).
const STATUS_CLASS = {
  normal: "att-ok",
  field: "att-info",
  pending: "att-info",
  late: "att-warn",
  early: "att-warn",
  missing: "att-warn",
  serious_late: "att-bad",
  absent: "att-bad",
  leave: "att-leave",
  trip: "att-leave",
  rest: "att-rest",
  holiday: "att-rest",
  upcoming: "att-none",
  none: "att-none",
};

export function statusLabel(status) {
  return has(`attendance.status.${status}`) ? t(`attendance.status.${status}`) : status;
}

export function statusClass(status) {
  return STATUS_CLASS[status] || "att-none";
}

export function statusChip(status, testid = "attendance-status") {
  return h("span", { class: `tag att-tag ${statusClass(status)}`, "data-testid": testid, "data-status": status }, statusLabel(status));
}

/** One reason ({code, ...}) as a sentence in the reader's language. */
export function reasonText(reason) {
  if (!reason || !reason.code) return "";
  const vars = { ...reason };
  if (reason.code === "leave") vars.type = leaveTypeName(reason.type);
  if (reason.half) vars.half = t(`attendance.half.${reason.half}`);
  if (reason.code === "holiday" || reason.code === "makeup_workday") vars.name = reason.name || "";
  const key = `attendance.reason.${reason.code}`;
  return has(key) ? t(key, vars) : reason.code;
}

export function reasonList(reasons, testid = "attendance-reasons") {
  const items = (reasons || []).map(reasonText).filter(Boolean);
  if (!items.length) return null;
  return h("ul", { class: "att-reasons", "data-testid": testid }, items.map((text) => h("li", {}, text)));
}

function zone(tz) {
  return tz || orgTimezone();
}

/** "08:57" for an instant, in the organisation's zone. */
export function formatTime(iso, tz) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try {
    return new Intl.DateTimeFormat(getLang(), { ...options, timeZone: zone(tz) }).format(date);
  } catch {
    return new Intl.DateTimeFormat(getLang(), options).format(date);
  }
}

/** "2026-12-07" (a calendar date) → "Mon, 7 Dec" in the reader's language. */
export function formatDay(iso, { long = false } = {}) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  if (!m) return iso || "";
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  const options = long ? { dateStyle: "full" } : { weekday: "short", month: "short", day: "numeric" };
  return new Intl.DateTimeFormat(getLang(), { ...options, timeZone: "UTC" }).format(date);
}

/** The calendar date and month of an instant in the organisation's zone: "2026-12-07". */
export function localDay(date = new Date(), tz) {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone(tz), year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

export function monthLabel(month) {
  const [y, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(getLang(), { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
}

export function shiftMonth(month, delta) {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

export function formatNumber(n) {
  const v = Number(n) || 0;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

// ---------- device and press ids ----------

const DEVICE_KEY = "hobnail.attendance.device";

export function uuid() {
  if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A stable id of this browser, sent with every punch (the server flags a new device). */
export function deviceId() {
  let id = null;
  try {
    id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      id = `web-${uuid()}`;
      localStorage.setItem(DEVICE_KEY, id);
    }
  } catch {
    id = id || "web-unknown";
  }
  return id;
}

// ---------- reminders ----------

export function install() {
  events.on("attendance.reminder", (frame) => {
    const data = frame.data || {};
    const at = formatTime(data.at);
    toast(data.kind === "out" ? t("attendance.remindOut", { time: at }) : t("attendance.remindIn", { time: at }), { type: "info", timeout: 15000 });
  });
}
