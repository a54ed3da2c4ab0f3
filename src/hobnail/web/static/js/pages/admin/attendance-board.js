// /admin/attendance/today: the day at a glance — counts (in, late, not in yet, leave, trip,
// rest, field, absent, early, missing) and who is in each list. Live: every punch
// (attendance.punched goes to the admins too) and day update reloads the board.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, debounce, emptyState, uid } from "../../ui.js";
import { formatTime, localDay, statusLabel } from "../attendance/common.js";
import { attendanceFrame } from "./attendance-layout.js";

const LISTS = ["in", "late", "not_in", "leave", "trip", "field", "early", "missing", "absent", "rest"];
const TONE = { in: "att-ok", late: "att-warn", not_in: "att-none", leave: "att-leave", trip: "att-leave", field: "att-info", early: "att-warn", missing: "att-warn", absent: "att-bad", rest: "att-rest" };

function person(p, tz) {
  const bits = [];
  if (p.in_at) bits.push(t("attendance.inAt", { time: formatTime(p.in_at, tz) }));
  if (p.out_at) bits.push(t("attendance.outAt", { time: formatTime(p.out_at, tz) }));
  if (p.late_minutes) bits.push(t("attendanceAdmin.lateBy", { minutes: p.late_minutes }));
  return h(
    "li",
    { class: "board-person", "data-testid": "board-person", "data-user-id": p.user_id, "data-status": p.status },
    h("span", { class: "board-name" }, p.name),
    h("span", { class: "muted small" }, [statusLabel(p.status), ...bits].join(" · ")),
  );
}

export async function render(ctx) {
  const content = attendanceFrame(ctx, "today");
  const dayId = uid("day");
  const dayInput = h("input", { type: "date", id: dayId, value: localDay(), "data-testid": "board-day" });
  const counts = h("div", { class: "board-counts", "data-testid": "board-counts" });
  const lists = h("div", { class: "board-lists", "aria-live": "polite" }, loading());
  content.append(
    h("section", { class: "card", "aria-labelledby": "board-h" }, h("div", { class: "card-head" }, h("h2", { id: "board-h" }, t("attendanceAdmin.board")), h("div", { class: "field inline-field" }, h("label", { for: dayId }, t("attendanceAdmin.day")), dayInput)), counts, lists),
  );
  let seq = 0;
  let only = null;
  async function load() {
    const mine = ++seq;
    try {
      const board = await api.get("/attendance/board", { day: dayInput.value || undefined });
      if (mine !== seq || !ctx.isCurrent()) return;
      clear(
        counts,
        LISTS.map((key) =>
          h(
            "button",
            { type: "button", class: `board-count ${TONE[key]}`, "data-testid": `board-count-${key}`, "data-count": String(board.counts[key] || 0), "aria-pressed": only === key ? "true" : "false", onclick: () => ((only = only === key ? null : key), load()) },
            h("strong", {}, String(board.counts[key] || 0)),
            h("span", {}, t(`attendanceAdmin.list.${key}`)),
          ),
        ),
      );
      const shown = LISTS.filter((key) => (only ? key === only : (board.lists[key] || []).length));
      clear(
        lists,
        !board.people ? emptyState(t("attendanceAdmin.boardEmpty"), "board-empty") : null,
        shown.map((key) =>
          h(
            "section",
            { class: "board-list", "data-testid": `board-list-${key}` },
            h("h3", {}, t(`attendanceAdmin.list.${key}`), h("span", { class: "muted" }, ` (${(board.lists[key] || []).length})`)),
            (board.lists[key] || []).length ? h("ul", {}, board.lists[key].map((p) => person(p, board.timezone))) : h("p", { class: "muted small" }, t("attendanceAdmin.nobody")),
          ),
        ),
      );
    } catch (error) {
      if (mine === seq) clear(lists, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  const reload = debounce(load, 300);
  dayInput.addEventListener("change", load);
  for (const type of ["attendance.punched", "attendance.day_updated", "attendance.group_updated", "stream.resync"]) ctx.on(type, reload);
  await load();
}
