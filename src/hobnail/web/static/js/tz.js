// Common IANA time zones for <select>s; the current value is kept even if not listed.

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
