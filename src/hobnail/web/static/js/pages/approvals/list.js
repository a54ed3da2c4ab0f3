// The request lists: waiting for me, requested by me, done by me, CC to me. Live: any
// approval event reloads the list.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, formatDateTime, emptyState, loading, avatar, debounce } from "../../ui.js";
import { user } from "../../state.js";
import { kindName, statusChip, daysText, leaveTypeName, formatDay } from "./common.js";
import { personName, ensurePeople } from "./people.js";

/** "张伟 · Leave" for built-in kinds (in the reader's language), the server's title otherwise. */
export function requestTitle(r) {
  if (r.kind === "custom" || !r.kind) return r.title;
  const name = r.requester_id === user()?.id ? user().name : personName(r.requester_id);
  return t("approvals.requestTitle", { name, form: kindName(r.kind, r.title) });
}

function waitingFor(r) {
  if (r.status !== "pending") return null;
  const ids = r.tasks.filter((x) => x.step === r.current_step && x.status === "pending").map((x) => x.approver_id);
  if (!ids.length) return null;
  return h("span", { class: "muted small", "data-testid": "approval-waiting-for" }, t("approvals.waitingFor", { names: ids.map(personName).join(t("common.listSep")) }));
}

function leaveLine(r) {
  if (r.kind !== "leave" || !r.values) return null;
  const v = r.values;
  return h("span", { class: "small" }, `${leaveTypeName(v.leave_type)} · ${formatDay(v.start)}${v.end && v.end !== v.start ? ` – ${formatDay(v.end)}` : ""} · ${daysText(r.days)}`);
}

function item(r) {
  return h(
    "li",
    { class: "approval-item", "data-testid": "approval-item", "data-request-id": r.id, "data-status": r.status },
    avatar({ id: r.requester_id, name: personName(r.requester_id) }, "md"),
    h(
      "div",
      { class: "approval-item-main" },
      h(
        "a",
        { href: `/approvals/request/${encodeURIComponent(r.id)}`, class: "approval-item-link" },
        h("span", { class: "approval-item-title", "data-testid": "approval-item-title" }, requestTitle(r)),
        h("time", { class: "muted small", datetime: r.created_at }, formatDateTime(r.created_at)),
      ),
      leaveLine(r),
      h("div", { class: "approval-item-tags" }, statusChip(r.status), " ", waitingFor(r)),
    ),
  );
}

export async function renderList(ctx, box, content) {
  const holder = h("section", { class: "card approval-list-card" }, loading());
  content.append(holder);
  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const list = await api.get("/approvals", { box, status: box === "todo" ? "pending" : undefined });
      await ensurePeople(list.flatMap((r) => [r.requester_id, ...r.tasks.map((x) => x.approver_id)]));
      if (mine !== seq || !ctx.isCurrent()) return;
      if (!list.length) return clear(holder, emptyState(t(`approvals.empty.${box}`), "approvals-empty"));
      clear(holder, h("ul", { class: "approval-list", "data-testid": `approvals-list-${box}`, "aria-label": t(`approvals.tab${box[0].toUpperCase()}${box.slice(1)}`) }, list.map(item)));
    } catch (error) {
      if (mine === seq) clear(holder, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  const reload = debounce(load, 150);
  for (const type of ["approval.updated", "approval.task_assigned", "approval.finished", "stream.resync"]) ctx.on(type, reload);
  await load();
}
