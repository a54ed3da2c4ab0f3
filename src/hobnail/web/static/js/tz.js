// Time zones: common IANA zones for <select>s (the current value is kept even if not
// listed), and wall-clock times in the organisation's zone for datetime-local inputs.

import { getLang } from "./i18n.js";

export const TIMEZONES = [
  "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Macau", "Asia/Singapore", "Asia/Tokyo",
  "Asia/Seoul", "Asia/Bangkok", "Asia/Jakarta", "Asia/Kuala_Lumpur", "Asia/Manila", "Asia/Kolkata",
  "Asia/Dubai", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Moscow",
  "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
  "Australia/Sydney", "Pacific/Auckland", "UTC",
];

function offset(zone) {
  try {
    const part = new Intl.DateTimeFormat(getLang(), { timeZone: zone, timeZoneName: "shortOffset" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName");
    return part ? part.value : "";
  } catch {
    return "";
  }
}

export function timezoneOptions(current, { allowEmpty = false, emptyLabel = "" } = {}) {
  const zones = [...TIMEZONES];
  if (current && !zones.includes(current)) zones.unshift(current);
  const options = zones.map((z) => ({ value: z, label: `${z.replace(/_/g, " ")} (${offset(z)})` }));
  if (allowEmpty) options.unshift({ value: "", label: emptyLabel });
  return options;
}

// ---------- a wall-clock time in the organisation's zone ↔ UTC ----------

function zoneOffsetMs(ms, zone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** "2026-11-28T09:30" in zone → "2026-11-28T01:30:00.000Z". */
export function zonedToIso(local, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local || "");
  if (!m) return null;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  if (!zone) return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]).toISOString();
  try {
    let ms = guess - zoneOffsetMs(guess, zone);
    ms = guess - zoneOffsetMs(ms, zone);
    return new Date(ms).toISOString();
  } catch {
    return new Date(guess).toISOString();
  }
}

/** Epoch ms as "YYYY-MM-DDTHH:MM" in zone: a datetime-local value, its min and default. */
export function zonedLocal(ms, zone) {
  try {
    const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(ms));
    const get = (type) => parts.find((p) => p.type === type).value;
    return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
  } catch {
    return "";
  }
}
