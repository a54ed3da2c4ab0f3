// The school home's "Notices" sections. Teachers (and admins): the notices I sent, with how
// many families read and confirmed each, and "New notice". Guardians: my children's notices,
// newest first, those still waiting for my confirmation marked. Both refresh live from the
// school_notice.* events (a new notice appears, counts move, a confirmation by the other
// guardian shows).

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, emptyState, debounce, uid, formatDateTime } from "../../ui.js";
import { addHomeSection } from "./home.js";
import { NOTICE_EVENTS, noticeHref } from "./notice-common.js";

const LIMIT = 20;
const live = new WeakMap(); // ctx → {sent, received} (the sections now on the page)

function sectionEl(idPrefix, title, testid, actions) {
  const id = uid(idPrefix);
  const body = h("div", { class: "sn-home-body" });
  const el = h(
    "section",
    { class: "card school-section sn-home", "aria-labelledby": id, "data-testid": testid },
    h("div", { class: "sn-home-head" }, h("h2", { id }, title), actions || null),
    body,
  );
  return { el, body };
}

function countsLine(n) {
  const parts = [];
  if (n.status === "scheduled") {
    return h("span", { class: "tag tag-info", "data-testid": "notice-item-scheduled" }, t("notice.scheduledFor", { time: formatDateTime(n.release_at) }));
  }
  if (n.require_confirm) {
    const done = n.total > 0 && n.confirmed >= n.total;
    parts.push(h("span", { class: `tag ${done ? "tag-ok" : "tag-warn"}`, "data-testid": "notice-item-confirmed" }, t("notice.confirmedCount", { done: n.confirmed, total: n.total })));
  }
  parts.push(h("span", { class: "tag tag-muted", "data-testid": "notice-item-read" }, t("notice.readCount", { done: n.read, total: n.total })));
  return parts;
}

function sentItem(n) {
  return h(
    "li",
    { class: "sn-item", "data-testid": "notice-item", "data-notice-id": n.id, "data-status": n.status },
    h("a", { class: "sn-item-title", href: noticeHref(n.id), "data-testid": "notice-item-link" }, n.title),
    h("span", { class: "sn-item-meta" }, n.sent_at ? h("time", { class: "muted small", datetime: n.sent_at }, formatDateTime(n.sent_at)) : null, countsLine(n)),
  );
}

function waitingFor(n) {
  return n.require_confirm && (n.my_children || []).some((c) => !c.confirmed_at);
}

function receivedItem(n) {
  const waiting = waitingFor(n);
  const unread = (n.my_children || []).some((c) => !c.read_at);
  const children = (n.my_children || []).map((c) => c.name).join(t("common.listSep"));
  return h(
    "li",
    { class: `sn-item${waiting ? " sn-item-waiting" : ""}`, "data-testid": "notice-item", "data-notice-id": n.id, "data-unconfirmed": String(waiting) },
    h(
      "a",
      { class: "sn-item-title", href: noticeHref(n.id), "data-testid": "notice-item-link" },
      unread ? h("span", { class: "sn-dot", title: t("notice.unread") }, h("span", { class: "sr-only" }, t("notice.unread"))) : null,
      n.title,
    ),
    h(
      "span",
      { class: "sn-item-meta" },
      n.sent_at ? h("time", { class: "muted small", datetime: n.sent_at }, formatDateTime(n.sent_at)) : null,
      children ? h("span", { class: "muted small" }, children) : null,
      waiting
        ? h("span", { class: "tag tag-warn", "data-testid": "notice-item-to-confirm" }, t("notice.toConfirm"))
        : n.require_confirm
          ? h("span", { class: "tag tag-ok", "data-testid": "notice-item-done" }, t("notice.confirmedShort"))
          : null,
    ),
  );
}

async function fill(body, box) {
  let list;
  try {
    list = await api.get("/school/notices", { box, limit: LIMIT });
  } catch (error) {
    clear(body, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
    return;
  }
  if (!list.length) {
    clear(body, emptyState(box === "sent" ? t("notice.noneSent") : t("notice.noneReceived"), "notices-empty"));
    return;
  }
  clear(body, h("ul", { class: "sn-list", "data-testid": `notices-${box}` }, list.map(box === "sent" ? sentItem : receivedItem)));
}

function subscribe(ctx) {
  if (live.has(ctx)) return live.get(ctx);
  const state = { sent: null, received: null };
  live.set(ctx, state);
  const refresh = debounce(() => {
    if (!ctx.isCurrent()) return;
    if (state.sent?.el.isConnected) fill(state.sent.body, "sent");
    if (state.received?.el.isConnected) fill(state.received.body, "received");
  }, 250);
  for (const type of NOTICE_EVENTS) ctx.on(type, refresh);
  return state;
}

async function sentSection(ctx, home) {
  if (!home.teaching.length && !home.is_admin) return null;
  const state = subscribe(ctx);
  const s = sectionEl("notices-sent-h", t("notice.sectionSent"), "school-notices", h("a", { href: "/school/notices/new", class: "btn btn-primary btn-small", "data-testid": "notice-new" }, t("notice.new")));
  state.sent = s;
  await fill(s.body, "sent");
  return s.el;
}

async function receivedSection(ctx, home) {
  if (!home.children.length) return null;
  const state = subscribe(ctx);
  const s = sectionEl("notices-received-h", t("notice.sectionReceived"), "school-notices-received");
  state.received = s;
  await fill(s.body, "received");
  return s.el;
}

export function install() {
  addHomeSection({ id: "notices-received", order: 12, render: receivedSection });
  addHomeSection({ id: "notices-sent", order: 25, render: sentSection });
}
