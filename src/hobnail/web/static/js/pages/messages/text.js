// Plain-text helpers for messaging: system lines in the user's language, one-line previews,
// and dates/times in the organisation's time zone.

import { t, getLang } from "../../i18n.js";
import { orgTimezone, user } from "../../state.js";
import { store } from "./store.js";
import { kindLabel } from "../../filetypes.js";
import { isCard, cardPreview } from "./cards.js";

// `known`: names the line carries itself (a bot, which is in no directory).
function nameOf(id, known) {
  if (!id) return "";
  if (id === user()?.id) return t("messages.you");
  return store.people.get(id)?.name || known?.[id] || t("messages.someone");
}

function namesOf(ids, known) {
  return (ids || []).map((id) => nameOf(id, known)).join(t("common.listSep"));
}

export function parseSystem(body) {
  try {
    const data = JSON.parse(body);
    return data && typeof data === "object" ? data : {};
  } catch {
    return {};
  }
}

/** The user ids a system line mentions (to look their names up before rendering). */
export function systemPeople(message) {
  const data = parseSystem(message.body);
  return [data.actor_id, ...(data.user_ids || [])].filter(Boolean);
}

export function systemText(message) {
  const d = parseSystem(message.body);
  const actor = nameOf(d.actor_id);
  const users = namesOf(d.user_ids, d.names);
  const selfOnly = d.user_ids && d.user_ids.length === 1 && d.user_ids[0] === d.actor_id;
  switch (d.action) {
    case "group_created":
      return users ? t("messages.sys.createdWith", { actor, users }) : t("messages.sys.created", { actor });
    case "members_added":
      return !d.actor_id || selfOnly ? t("messages.sys.joined", { users }) : t("messages.sys.added", { actor, users });
    case "members_removed":
      return !d.actor_id || selfOnly ? t("messages.sys.left", { users }) : t("messages.sys.removed", { actor, users });
    case "renamed":
      return t("messages.sys.renamed", { actor, name: d.name || "" });
    case "announcement":
      return t("messages.sys.announcement", { actor });
    case "owner_changed":
      return t("messages.sys.ownerChanged", { actor, users });
    case "dissolved":
      return t("messages.sys.dissolved", { actor });
    default:
      return t("messages.sys.unknown");
  }
}

export function recalledText(message) {
  const who = message.recalled_by && message.recalled_by !== message.sender_id ? message.recalled_by : message.sender_id;
  return t("messages.recalledBy", { name: nameOf(who) });
}

/** Markdown markers stripped for previews and notifications. */
export function plain(body) {
  return String(body || "")
    .replace(/```[^\n`]*\n?/g, "")
    .replace(/\*\*|`/g, "")
    .replace(/\*(\S[^*\n]*?)\*/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** A message's text in one line: a file message is "[Image] name" plus its caption. */
export function messageText(message) {
  if (isCard(message)) return cardPreview(message);
  const text = plain(message.body);
  if (message.kind !== "file" || !message.file) return text;
  return [`${kindLabel(message.file)} ${message.file.name}`, text].filter(Boolean).join(" ");
}

export function previewText(message, conv, { withSender = true } = {}) {
  if (!message) return "";
  if (message.kind === "system") return systemText(message);
  if (message.recalled) return recalledText(message);
  const text = messageText(message);
  if (!withSender || conv?.kind === "direct" || !message.sender_id) return text;
  const sender = isCard(message) ? message.card.robot?.name : message.sender_id === user()?.id ? t("messages.you") : store.people.get(message.sender_id)?.name;
  return sender ? `${sender}: ${text}` : text;
}

// ---------- dates ----------

function format(date, options, lang = getLang()) {
  try {
    return new Intl.DateTimeFormat(lang, { ...options, timeZone: orgTimezone() }).format(date);
  } catch {
    return new Intl.DateTimeFormat(lang, options).format(date);
  }
}

/** "2026-11-27" in the organisation's time zone. */
export function dayKey(value) {
  return format(new Date(value), { year: "numeric", month: "2-digit", day: "2-digit" }, "en-CA");
}

export function timeOf(value) {
  return format(new Date(value), { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

export function fullTime(value) {
  return format(new Date(value), { dateStyle: "medium", timeStyle: "short" });
}

function relativeDay(value) {
  const key = dayKey(value);
  if (key === dayKey(Date.now())) return "today";
  if (key === dayKey(Date.now() - 86400000)) return "yesterday";
  return null;
}

/** Conversation list: 14:05 today, "Yesterday", "Nov 3" this year, else a short date. */
export function listTime(value) {
  if (!value) return "";
  const rel = relativeDay(value);
  if (rel === "today") return timeOf(value);
  if (rel === "yesterday") return t("messages.yesterday");
  const date = new Date(value);
  if (dayKey(value).slice(0, 4) === dayKey(Date.now()).slice(0, 4)) return format(date, { month: "short", day: "numeric" });
  return format(date, { dateStyle: "short" });
}

/** Day separators in the chat. */
export function dayLabel(value) {
  const rel = relativeDay(value);
  if (rel === "today") return t("messages.today");
  if (rel === "yesterday") return t("messages.yesterday");
  return format(new Date(value), { year: "numeric", month: "long", day: "numeric", weekday: "short" });
}
