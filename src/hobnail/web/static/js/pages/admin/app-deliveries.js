// /admin/apps, per app: the delivery log — newest first, filtered by status (with counts),
// paged with next_before; a delivery opens with every attempt (status code, latency,
// error) and the event JSON, and can be sent again.

import { api } from "../../api.js";
import { t, getLang, errorText } from "../../i18n.js";
import { h, clear, dialog, toast, loading } from "../../ui.js";
import { orgTimezone } from "../../state.js";

export const STATUSES = ["pending", "sending", "delivered", "failed", "pulled"];
const TONE = { pending: "tag-warn", sending: "tag-info", delivered: "tag-ok", failed: "tag-danger", pulled: "tag-muted" };
const PAGE = 20;
const POLL_MS = 1500;
const POLL_WINDOW_MS = 60_000; // follow a delivery whose next attempt is at most this far away
const POLL_MAX = 60;

/** Date and time to the second, in the organisation's timezone (attempts seconds apart). */
export function formatMoment(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options = { dateStyle: "medium", timeStyle: "medium" };
  try {
    return new Intl.DateTimeFormat(getLang(), { ...options, timeZone: orgTimezone() }).format(date);
  } catch {
    return new Intl.DateTimeFormat(getLang(), options).format(date);
  }
}

function statusTag(status, testid = "delivery-status") {
  return h("span", { class: `tag ${TONE[status] || "tag-muted"}`, "data-testid": testid, "data-status": status }, t(`appEvents.status.${status}`));
}

const latency = (ms) => (ms === null || ms === undefined ? "—" : t("appEvents.ms", { ms }));
const code = (statusCode, error) => (statusCode ? String(statusCode) : error || "—");
const path = (app, ...rest) => [`/apps/${encodeURIComponent(app.id)}/deliveries`, ...rest.map(encodeURIComponent)].join("/");

/** Whether to keep refreshing a delivery on screen: an attempt is under way or due soon. */
function settling(delivery) {
  if (delivery.status === "sending") return true;
  if (delivery.status !== "pending") return false;
  return !delivery.next_at || new Date(delivery.next_at).getTime() - Date.now() < POLL_WINDOW_MS;
}

/** The log of one app: {el, reload()}. */
export function deliveryLog(app) {
  let status = "";
  let nextBefore = null;
  let seq = 0;
  const filters = h("div", { class: "delivery-filters", role: "group", "aria-label": t("appEvents.filterLabel"), "data-testid": "delivery-filters" });
  const rows = h("tbody", {});
  const table = h(
    "table",
    { class: "table table-compact delivery-table", "data-testid": "delivery-table" },
    h("caption", { class: "sr-only" }, t("appEvents.deliveriesOf", { name: app.name })),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["colStatus", "colEvent", "colAttempts", "colCode", "colLatency", "colTime"].map((key) => h("th", { scope: "col" }, t(`appEvents.${key}`))),
      ),
    ),
    rows,
  );
  const wrap = h("div", { class: "table-wrap", hidden: true }, table);
  const empty = h("p", { class: "empty", hidden: true, "data-testid": "delivery-empty" }, t("appEvents.noDeliveries"));
  const state = h("div", { "aria-live": "polite" }, loading());
  const more = h("button", { type: "button", class: "btn btn-small btn-block", hidden: true, "data-testid": "delivery-more", onclick: () => load(false) }, t("appEvents.loadMore"));
  const refresh = h("button", { type: "button", class: "btn btn-small", "data-testid": "delivery-refresh", onclick: () => load(true) }, t("appEvents.refresh"));
  const el = h("div", { class: "stack delivery-log" }, h("div", { class: "delivery-toolbar" }, filters, refresh), state, wrap, empty, more);

  function renderCounts(counts) {
    const total = STATUSES.reduce((sum, s) => sum + (counts[s] || 0), 0);
    const button = (value, label, n) =>
      h(
        "button",
        { type: "button", class: "delivery-filter", "aria-pressed": status === value ? "true" : "false", "data-testid": `delivery-filter-${value || "all"}`, "data-count": String(n), onclick: () => ((status = value), load(true)) },
        label,
        " ",
        h("span", { class: "delivery-count", "data-testid": "delivery-count" }, String(n)),
      );
    clear(filters, button("", t("appEvents.status.all"), total), STATUSES.map((s) => button(s, t(`appEvents.status.${s}`), counts[s] || 0)));
  }

  function row(delivery) {
    const open = () => openDelivery(app, delivery.id, { onChange: update });
    const tr = h(
      "tr",
      { class: "delivery-row", "data-testid": "delivery-row", "data-delivery-id": delivery.id, "data-status": delivery.status, onclick: (e) => !e.target.closest("button") && open() },
      h("td", {}, statusTag(delivery.status)),
      h("td", {}, h("button", { type: "button", class: "link-btn delivery-open", "data-testid": "delivery-open", "aria-label": t("appEvents.openDelivery", { type: delivery.topic, time: formatMoment(delivery.created_at) }), onclick: open }, h("code", { "data-testid": "delivery-topic" }, delivery.topic))),
      h("td", { "data-testid": "delivery-attempts" }, String(delivery.attempts)),
      h("td", { "data-testid": "delivery-code" }, code(delivery.last_status_code, delivery.last_error)),
      h("td", { "data-testid": "delivery-latency" }, latency(delivery.last_latency_ms)),
      h("td", { "data-testid": "delivery-time" }, h("time", { datetime: delivery.created_at }, formatMoment(delivery.created_at))),
    );
    return tr;
  }

  /** A delivery changed (redelivered, or followed in its dialog): its row and the counts. */
  async function update(delivery) {
    const old = rows.querySelector(`tr[data-delivery-id="${CSS.escape(delivery.id)}"]`);
    if (old) {
      // Cell by cell, keeping the open button (focus returns to it when the dialog closes).
      const fresh = row(delivery);
      old.dataset.status = delivery.status;
      [...fresh.children].forEach((cell, i) => i !== 1 && old.children[i].replaceWith(cell));
    }
    try {
      renderCounts((await api.get(path(app), { limit: 1 })).counts);
    } catch {
      /* the counts catch up on the next refresh */
    }
  }

  async function load(reset = true) {
    const mine = ++seq;
    if (reset) nextBefore = null;
    more.disabled = true;
    try {
      const page = await api.get(path(app), { status, before: reset ? null : nextBefore, limit: PAGE });
      if (mine !== seq) return;
      renderCounts(page.counts);
      if (reset) clear(rows);
      rows.append(...page.deliveries.map(row));
      nextBefore = page.next_before;
      clear(state);
      wrap.hidden = !rows.children.length;
      empty.hidden = !!rows.children.length;
      more.hidden = !nextBefore;
    } catch (error) {
      if (mine === seq) clear(state, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
    } finally {
      more.disabled = false;
    }
  }

  return { el, reload: () => load(true) };
}

/** One delivery: summary, attempt log, event JSON, Redeliver. Follows it while it settles. */
function openDelivery(app, deliveryId, { onChange }) {
  const status = h("dd", {});
  const summary = h("dl", { class: "delivery-summary", "data-testid": "delivery-summary" });
  const attempts = h("tbody", {});
  const attemptTable = h(
    "table",
    { class: "table table-compact", "data-testid": "attempt-log" },
    h("caption", { class: "sr-only" }, t("appEvents.attempts")),
    h("thead", {}, h("tr", {}, ["colTime", "colCode", "colLatency", "colError"].map((key) => h("th", { scope: "col" }, t(`appEvents.${key}`))))),
    attempts,
  );
  const noAttempts = h("p", { class: "muted small", "data-testid": "attempt-log-empty" }, t("appEvents.noAttempts"));
  const json = h("pre", { class: "delivery-json", tabindex: "0", "data-testid": "delivery-event" });
  const problem = h("div", { role: "alert" });
  let last = null;
  let shown = "";
  let polls = 0;
  let timer = null;
  let open = true;

  const redeliver = h("button", { type: "button", class: "btn btn-primary", "data-testid": "delivery-redeliver", onclick: () => again() }, t("appEvents.redeliver"));
  const d = dialog({
    title: t("appEvents.deliveryTitle"),
    testid: "delivery-dialog",
    wide: true,
    content: (close) =>
      h(
        "div",
        { class: "stack delivery-detail" },
        problem,
        summary,
        h("section", { "aria-label": t("appEvents.attempts") }, h("h3", {}, t("appEvents.attempts")), h("div", { class: "table-wrap" }, attemptTable), noAttempts),
        h("section", { "aria-label": t("appEvents.eventJson") }, h("h3", {}, t("appEvents.eventJson")), json),
        h("div", { class: "actions" }, h("button", { type: "button", class: "btn", "data-testid": "delivery-close", onclick: () => close() }, t("common.close")), redeliver),
      ),
  });
  d.closed.then(() => {
    open = false;
    clearTimeout(timer);
  });
  summary.append(loading());

  function render(delivery) {
    const text = JSON.stringify(delivery);
    if (text === shown) return; // nothing new: leave focus and selection alone
    const first = !shown;
    shown = text;
    clear(status, statusTag(delivery.status, "delivery-detail-status"));
    const item = (label, value, testid) => (value === null || value === undefined || value === "" ? null : [h("dt", {}, label), h("dd", { "data-testid": testid }, value)]);
    clear(
      summary,
      h("dt", {}, t("appEvents.colStatus")),
      status,
      item(t("appEvents.colEvent"), h("code", {}, delivery.topic), "delivery-detail-topic"),
      item(t("appEvents.deliveryId"), h("code", {}, delivery.id), "delivery-detail-id"),
      item(t("appEvents.channel"), t(`appEvents.channel.${delivery.channel}`), "delivery-detail-channel"),
      item(t("appEvents.cursor"), delivery.cursor, "delivery-detail-cursor"),
      item(t("appEvents.colAttempts"), String(delivery.attempts), "delivery-detail-attempts"),
      item(t("appEvents.created"), formatMoment(delivery.created_at), "delivery-detail-created"),
      item(t("appEvents.nextAttempt"), delivery.next_at ? formatMoment(delivery.next_at) : null, "delivery-detail-next"),
      item(t("appEvents.deliveredAt"), delivery.delivered_at ? formatMoment(delivery.delivered_at) : null, "delivery-detail-delivered"),
      item(t("appEvents.lastError"), delivery.last_error, "delivery-detail-error"),
    );
    clear(
      attempts,
      delivery.attempt_log.map((a) =>
        h(
          "tr",
          { "data-testid": "attempt-row" },
          h("td", {}, h("time", { datetime: a.at }, formatMoment(a.at))),
          h("td", { "data-testid": "attempt-code" }, a.status_code ? String(a.status_code) : "—"),
          h("td", { "data-testid": "attempt-latency" }, latency(a.latency_ms)),
          h("td", { "data-testid": "attempt-error" }, a.error || "—"),
        ),
      ),
    );
    attemptTable.hidden = !delivery.attempt_log.length;
    noAttempts.hidden = !!delivery.attempt_log.length;
    json.textContent = delivery.event ? JSON.stringify(delivery.event, null, 2) : t("appEvents.noEvent");
    redeliver.disabled = delivery.status === "sending";
    if (!first) onChange(delivery);
  }

  async function fetchOnce() {
    try {
      last = await api.get(path(app, deliveryId));
      if (!open) return;
      clear(problem);
      render(last);
    } catch (error) {
      if (open) clear(problem, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }

  async function follow() {
    clearTimeout(timer);
    await fetchOnce();
    if (open && last && settling(last) && polls < POLL_MAX) {
      polls += 1;
      timer = setTimeout(follow, POLL_MS);
    }
  }

  async function again() {
    redeliver.disabled = true;
    try {
      await api.post(path(app, deliveryId, "redeliver"));
      toast(t("appEvents.redelivering"), { type: "success" });
      polls = 0;
      await follow();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    } finally {
      if (last) redeliver.disabled = last.status === "sending";
    }
  }

  follow();
}
