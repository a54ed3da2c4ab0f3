// Shared bits of the daily check-in forms (每日打卡): weekday names, the window and the
// current time in the school's timezone, the field inputs (the renderers of reports and
// approvals) and read-only values, and the app-wide toast of a teacher's reminder
// (`school_checkin.reminder`, wherever the guardian is in the app).

import { t, getLang } from "../../i18n.js";
import { h, toast } from "../../ui.js";
import * as events from "../../events.js";
import { orgTimezone } from "../../state.js";
import { fieldInput as reportInput } from "../reports/fields.js";
import { fieldInput as approvalInput, valueView } from "../approvals/fields.js";

export const CHECKIN_TYPES = ["text", "textarea", "number", "select", "multiselect", "time"];
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
export const REMINDER_EVENT = "school_checkin.reminder";
export const SUBMITTED_EVENT = "school_checkin.submitted";

function zone() {
  return orgTimezone() || "Asia/Shanghai";
}

/** 1 (Monday) … 7 in the reader's language, short ("Mon", "周一"). */
export function weekdayName(n, style = "short") {
  const date = new Date(Date.UTC(2024, 0, n)); // 2024-01-01 was a Monday
  try {
    return new Intl.DateTimeFormat(getLang(), { weekday: style, timeZone: "UTC" }).format(date);
  } catch {
    return String(n);
  }
}

/** "Every day", "Mon – Fri" or "Mon, Wed, Fri". */
export function weekdaysLabel(days) {
  const list = [...new Set(days || [])].sort();
  if (list.length === 7) return t("checkin.everyDay");
  if (list.join() === "1,2,3,4,5") return t("checkin.schoolDays");
  return list.map((d) => weekdayName(d)).join(t("common.listSep"));
}

/** "07:00–09:00" — the window is kept in the school's timezone already. */
export function windowText(form) {
  return `${form.opens_at}–${form.closes_at}`;
}

const WEEKDAY_INDEX = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Now in the school's timezone: {hhmm: "07:05", weekday: 1..7}. */
export function schoolNow() {
  const options = { hour: "2-digit", minute: "2-digit", weekday: "short", hourCycle: "h23" };
  let parts;
  try {
    parts = new Intl.DateTimeFormat("en-US", { ...options, timeZone: zone() }).formatToParts(new Date());
  } catch {
    parts = new Intl.DateTimeFormat("en-US", options).formatToParts(new Date());
  }
  const get = (type) => parts.find((p) => p.type === type)?.value || "";
  return { hhmm: `${get("hour").padStart(2, "0")}:${get("minute").padStart(2, "0")}`, weekday: WEEKDAY_INDEX[get("weekday")] || 1 };
}

/** Is the window open now (by the school's clock)? Used to notice it opening or closing. */
export function openNow(form) {
  const now = schoolNow();
  return (form.weekdays || []).includes(now.weekday) && form.opens_at <= now.hhmm && now.hhmm < form.closes_at;
}

/** Does the form apply to a class today (by the school's clock)? */
export function appliesToday(form, classId) {
  return form.enabled && (!form.class_ids?.length || form.class_ids.includes(classId)) && (form.weekdays || []).includes(schoolNow().weekday);
}

/** "07:12" of an ISO instant, in the school's timezone. */
export function timeOf(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try {
    return new Intl.DateTimeFormat(getLang(), { ...options, timeZone: zone() }).format(date);
  } catch {
    return new Intl.DateTimeFormat(getLang(), options).format(date);
  }
}

/**
 * The inputs of a form's fields, pre-filled with values: the report renderer (which takes
 * initial values) and, for times, the approval renderer. → [{el, key, value()}]
 */
export function fieldInputs(fields, values = {}) {
  return (fields || []).map((f) => {
    const input = f.type === "time" ? approvalInput(f, { builtin: null, defaults: values }) : reportInput(f, { builtin: null, values });
    input.el.setAttribute("data-field-key", f.key);
    return input;
  });
}

/** The values as "label: value" pairs (a <dl>). */
export function valuesList(fields, values, testid = "checkin-values") {
  return h(
    "dl",
    { class: "ck-values", "data-testid": testid },
    (fields || []).map((f) =>
      h("div", { class: "ck-value", "data-field-key": f.key }, h("dt", {}, f.label), h("dd", {}, valueView(f, values?.[f.key], { builtin: null, byId: new Map() }))),
    ),
  );
}

export function install() {
  events.on(REMINDER_EVENT, (frame) => {
    const data = frame?.data || {};
    toast(t("checkin.reminderToast", { name: data.name || t("checkin.title"), time: data.closes_at || "" }), { timeout: 10000 });
  });
}
