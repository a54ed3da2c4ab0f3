// Shared bits of the school screens (家校): who the viewer is in the school, relation and
// subject labels, masked phone numbers, links, and the live "school.updated" hook that
// shows or hides the School entry when an admin turns the school on or off.

import { t, has } from "../../i18n.js";
import { h } from "../../ui.js";
import * as events from "../../events.js";
import { org, user, isAdmin } from "../../state.js";
import { setSessionOrg, rerender } from "../../app.js";

export const RELATIONS = ["father", "mother", "grandfather", "grandmother", "maternal_grandfather", "maternal_grandmother", "other"];

export function isSchool() {
  return org()?.kind === "school";
}

/** Staff of the organisation (guardians and students are members who are not). */
export function isStaff() {
  const kind = org()?.member_kind;
  return !kind || kind === "staff";
}

export function relationLabel(relation) {
  const key = `school.relation.${relation || "other"}`;
  return has(key) ? t(key) : relation || "";
}

/** "+8613800138000" → "138****8000": enough to recognise a number, not to dial it. */
export function maskPhone(phone) {
  if (!phone) return "";
  const digits = String(phone).replace(/^\+86/, "");
  if (digits.length < 7) return digits;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** "+8613800138000" → "138 0013 8000" for people who may see the whole number. */
export function formatPhone(phone) {
  if (!phone) return "";
  const digits = String(phone).replace(/^\+86/, "");
  return digits.length === 11 ? `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}` : digits;
}

export function absoluteUrl(url) {
  try {
    return new URL(url, location.origin).href;
  } catch {
    return url;
  }
}

/** My part in a class: may I manage the roster (admin, head teacher)? teach (codes)? */
export function classRoles(schoolClass) {
  const me = user()?.id;
  const head = !!me && schoolClass.head_teacher?.id === me;
  const subjects = (schoolClass.subject_teachers || []).filter((s) => s.user_id === me).map((s) => s.subject);
  const admin = isAdmin();
  return { admin, head, subjects, manage: admin || head, teach: admin || head || subjects.length > 0 };
}

/** "Head teacher: 王老师 · 语文: 李老师" */
export function teachersLine(schoolClass) {
  const parts = [];
  if (schoolClass.head_teacher) parts.push(t("school.headTeacherIs", { name: schoolClass.head_teacher.name }));
  for (const s of schoolClass.subject_teachers || []) parts.push(`${s.subject}: ${s.name}`);
  return parts.join(" · ");
}

export function className(schoolClass) {
  if (!schoolClass) return "";
  const grade = schoolClass.grade_name;
  return grade && !schoolClass.name.startsWith(grade) ? `${grade} ${schoolClass.name}` : schoolClass.name;
}

export function backLink(href, label) {
  return h("a", { href, class: "back-link", "data-testid": "school-back" }, "← ", label);
}

export function install() {
  events.on("school.updated", (frame) => {
    const school = frame.data?.school;
    const current = org();
    if (!school || !current || school.org_id !== current.id) return;
    const kind = school.enabled ? "school" : "company";
    if (current.kind === kind) return;
    setSessionOrg({ id: current.id, kind });
    rerender({ rebuildShell: true });
  });
}
