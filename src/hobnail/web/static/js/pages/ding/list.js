// /ding (Received: unconfirmed first, confirm in place) and /ding/sent (progress "x / y
// confirmed", live from ding.progress). Items link to /ding/:id and show the attachment.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, toast, avatar, formatDateTime, emptyState, loading } from "../../ui.js";
import { subscribe, markConfirmed } from "../../ding-alert.js";
import { dingFile } from "./attachment.js";
import { dingFrame, newDingButton, progressEl, statusTag, updateTabCount, channelLabel } from "./common.js";

function notifyButton() {
  const supported = typeof window.Notification === "function";
  const button = h(
    "button",
    {
      type: "button",
      class: "btn",
      "data-testid": "ding-notify-enable",
      hidden: !supported || Notification.permission !== "default",
      onclick: async () => {
        try {
          await Notification.requestPermission();
        } catch {
          /* ignored */
        }
        button.hidden = Notification.permission === "default";
        if (Notification.permission === "granted") toast(t("messages.notifyOn"), { type: "success" });
      },
    },
    t("messages.notifyEnable"),
  );
  return button;
}

function preview(text) {
  return h("p", { class: "ding-item-text", dir: "auto", "data-testid": "ding-item-body" }, text);
}

function receivedItem(d, onConfirm) {
  const unconfirmed = d.status === "sent" && !d.confirmed_at;
  return h(
    "li",
    { class: `ding-item${unconfirmed ? " unconfirmed" : ""}`, "data-testid": "ding-item", "data-ding-id": d.id, "data-confirmed": String(!!d.confirmed_at) },
    avatar(d.sender || { name: "?" }, "md"),
    h(
      "div",
      { class: "ding-item-main" },
      h(
        "a",
        { href: `/ding/${encodeURIComponent(d.id)}`, class: "ding-item-link" },
        h("span", { class: "ding-item-who" }, d.sender?.name || ""),
        h("time", { class: "ding-item-time muted small", datetime: d.sent_at || "" }, formatDateTime(d.sent_at)),
      ),
      d.status === "recalled" ? h("p", { class: "ding-item-text muted" }, t("ding.recalledNote")) : preview(d.body),
      d.status !== "recalled" && d.file ? dingFile(d.file, { compact: true }) : null,
      h(
        "div",
        { class: "ding-item-tags" },
        statusTag(d),
        d.critical ? h("span", { class: "tag tag-danger" }, t("ding.critical")) : null,
        d.status === "sent"
          ? d.confirmed_at
            ? h("span", { class: "tag tag-ok", "data-testid": "ding-state" }, t("ding.confirmedAt", { time: formatDateTime(d.confirmed_at) }))
            : h("span", { class: "tag tag-warn", "data-testid": "ding-state" }, t("ding.notConfirmed"))
          : null,
      ),
    ),
    unconfirmed
      ? h(
          "button",
          { type: "button", class: "btn btn-primary btn-small", "data-testid": "ding-item-confirm", "aria-label": t("ding.confirmFrom", { name: d.sender?.name || "" }), onclick: (e) => onConfirm(d, e.currentTarget) },
          t("ding.confirm"),
        )
      : null,
  );
}

function sentItem(d) {
  return h(
    "li",
    { class: "ding-item", "data-testid": "ding-item", "data-ding-id": d.id },
    h(
      "div",
      { class: "ding-item-main" },
      h(
        "a",
        { href: `/ding/${encodeURIComponent(d.id)}`, class: "ding-item-link" },
        d.status === "recalled"
          ? h("span", { class: "ding-item-who muted" }, t("ding.statusRecalled"))
          : h("span", { class: "ding-item-who ding-item-title", dir: "auto", "data-testid": "ding-item-body" }, d.body),
        h(
          "time",
          { class: "ding-item-time muted small", datetime: d.sent_at || d.scheduled_at || "" },
          d.status === "scheduled" ? t("ding.scheduledFor", { time: formatDateTime(d.scheduled_at) }) : formatDateTime(d.sent_at),
        ),
      ),
      d.status !== "recalled" && d.file ? dingFile(d.file, { compact: true }) : null,
      h(
        "div",
        { class: "ding-item-tags" },
        h("span", { class: "tag" }, channelLabel(d.channel)),
        statusTag(d),
        d.critical ? h("span", { class: "tag tag-danger" }, t("ding.critical")) : null,
      ),
    ),
    d.status === "sent" ? progressEl(d) : null,
  );
}

export async function render(ctx) {
  const tab = ctx.main && location.pathname.replace(/\/$/, "") === "/ding/sent" ? "sent" : "received";
  const content = dingFrame(ctx, tab, notifyButton(), newDingButton());
  const list = h("ul", { class: "ding-list", "data-testid": tab === "sent" ? "ding-sent-list" : "ding-received-list", "aria-label": t(tab === "sent" ? "ding.sent" : "ding.received") });
  content.append(h("section", { class: "card ding-card" }, loading()));
  const box = content.querySelector(".ding-card");
  let items = [];
  let seq = 0;

  async function confirm(d, button) {
    button.disabled = true;
    try {
      await api.post(`/dings/${encodeURIComponent(d.id)}/confirm`);
      toast(t("ding.confirmedToast"), { type: "success" });
      markConfirmed(d.id);
      load();
    } catch (error) {
      button.disabled = false;
      toast(errorText(error), { type: "error" });
      load();
    }
  }

  function draw() {
    if (!items.length) return clear(box, emptyState(t(tab === "sent" ? "ding.sentEmpty" : "ding.receivedEmpty"), "ding-empty"));
    clear(list, items.map((d) => (tab === "sent" ? sentItem(d) : receivedItem(d, confirm))));
    if (list.parentNode !== box) clear(box, list);
  }

  async function load() {
    const mine = ++seq;
    try {
      const data = await api.get(tab === "sent" ? "/dings/sent" : "/dings/received");
      if (mine !== seq || !ctx.isCurrent()) return;
      items = data;
      draw();
    } catch (error) {
      if (mine === seq) clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }

  if (tab === "received") {
    for (const type of ["ding.received", "ding.confirmed", "ding.recalled"]) ctx.on(type, () => load());
  } else {
    ctx.on("ding.progress", (event) => {
      const e = event.data || {};
      const i = items.findIndex((d) => d.id === e.ding_id);
      if (i < 0) return load();
      items[i] = { ...items[i], confirmed: e.confirmed, total: e.total };
      draw();
    });
    ctx.on("ding.recalled", () => load());
  }
  ctx.on("stream.resync", () => load());
  const stop = subscribe(() => updateTabCount(ctx.main));
  const timer = setInterval(draw, 60000);
  await load();
  return () => {
    stop();
    clearInterval(timer);
  };
}
