// Shared bits of school notices (通知): wall-clock times in the organisation's zone, the
// notice's files, its facts line (sent / scheduled / deadline) and the families' states.

import { api } from "../../api.js";
import { t } from "../../i18n.js";
import { h, formatDateTime } from "../../ui.js";
import { user } from "../../state.js";
import { dingFile } from "../ding/attachment.js";

export const NOTICE_EVENTS = ["school_notice.published", "school_notice.progress", "school_notice.confirmed"];

export function noticeHref(id) {
  return `/school/notices/${encodeURIComponent(id)}`;
}

export function timeEl(iso, testid) {
  if (!iso) return null;
  return h("time", { datetime: iso, "data-testid": testid }, formatDateTime(iso));
}

export function isPast(iso) {
  return !!iso && new Date(iso).getTime() < Date.now();
}

/** "Sent …" or "Scheduled for …", then "Confirm by …". */
export function noticeFacts(notice) {
  const parts = [];
  if (notice.status === "scheduled") {
    parts.push(h("span", { class: "tag tag-info", "data-testid": "notice-scheduled" }, t("notice.scheduledFor", { time: formatDateTime(notice.release_at) })));
  } else if (notice.sent_at) {
    parts.push(h("span", { class: "muted small" }, t("notice.sentAt"), " ", timeEl(notice.sent_at, "notice-sent-at")));
  }
  if (notice.require_confirm && notice.deadline) {
    const late = isPast(notice.deadline);
    parts.push(
      h(
        "span",
        { class: `tag ${late ? "tag-danger" : "tag-warn"}`, "data-testid": "notice-deadline" },
        late ? t("notice.deadlinePassed", { time: formatDateTime(notice.deadline) }) : t("notice.deadlineIs", { time: formatDateTime(notice.deadline) }),
      ),
    );
  }
  return h("p", { class: "sn-facts" }, parts);
}

/** The notice's images and files (cards with Open / Download). */
export function noticeFiles(files) {
  if (!files || !files.length) return null;
  return h(
    "section",
    { class: "sn-files", "aria-label": t("notice.files"), "data-testid": "notice-files" },
    h("ul", { class: "sn-file-list" }, files.map((file) => h("li", { "data-testid": "notice-file", "data-file-id": file.id }, dingFile(file)))),
  );
}

/** Who confirmed, for a guardian: themselves or another guardian of the child. */
export function confirmedByText(family) {
  if (!family.confirmed_at) return "";
  return family.confirmed_by && family.confirmed_by === user()?.id ? t("notice.confirmedByYou") : t("notice.confirmedByOther");
}

/**
 * Teachers: names of the guardians who may have confirmed, per class. The family entries
 * carry only the user id (confirmed_by); the class's family chat has the guardians' names
 * and the roster their relation to the child. Best effort: unknown people stay unnamed.
 * Returns {userName: Map(user id → name), roster: Map(student id → guardians[])}.
 */
export async function guardianNames(classes) {
  const userName = new Map();
  const roster = new Map();
  const names = classes.map((c) => c.name).filter(Boolean);
  await Promise.all(
    classes.map((c) =>
      api
        .get(`/school/classes/${encodeURIComponent(c.class_id)}/students`)
        .then((students) => students.forEach((s) => roster.set(s.id, s.guardians || [])))
        .catch(() => {}),
    ),
  );
  try {
    const found = await api.get("/conversations");
    const chats = (Array.isArray(found) ? found : found.items || []).filter((c) => c.kind === "class" && names.some((n) => (c.name || "").includes(n)));
    await Promise.all(
      chats.map((chat) =>
        api
          .get(`/conversations/${encodeURIComponent(chat.id)}/members`)
          .then((members) => members.forEach((m) => userName.set(m.user_id || m.id, m.name)))
          .catch(() => {}),
      ),
    );
  } catch {
    /* names stay unknown */
  }
  return { userName, roster };
}
