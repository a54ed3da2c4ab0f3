// /ding/:id — as the sender: progress, each recipient's timeline (delivered, attempts,
// confirmed), replies, "Remind unconfirmed" (with a countdown until next_remind_at) and
// "Recall"; as a recipient: the text, 收到 / Confirm and replies. Both see the attachment. Live from the event stream.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, toast, avatar, formatDateTime, confirmDialog, loading, uid } from "../../ui.js";
import { user } from "../../state.js";
import { markConfirmed } from "../../ding-alert.js";
import { dingFile } from "./attachment.js";
import { loadChannels, channelLabel, unavailableReason, attemptStatus, attemptReason, policyText, progressEl, statusTag, CHANNELS } from "./common.js";

function backLink(toSent) {
  return h("a", { href: toSent ? "/ding/sent" : "/ding", class: "back-link", "data-testid": "ding-back" }, "‹ ", t(toSent ? "ding.sent" : "ding.received"));
}

function when(label, iso, testid) {
  if (!iso) return null;
  return h("li", { class: "ding-step", "data-testid": testid }, h("span", { class: "ding-step-label" }, label), " ", h("time", { datetime: iso, class: "muted small" }, formatDateTime(iso)));
}

function attemptEl(a) {
  const failed = a.status === "failed" || a.status === "no_answer";
  return h(
    "li",
    { class: `ding-step${failed ? " failed" : ""}`, "data-testid": "ding-attempt", "data-status": a.status },
    h("span", { class: "ding-step-label" }, channelLabel(a.channel)),
    " · ",
    h("span", {}, attemptReason(a.reason)),
    " · ",
    h("span", { class: `tag ${failed ? "tag-danger" : a.status === "deferred" ? "tag-warn" : "tag-muted"}` }, attemptStatus(a.status)),
    " ",
    h("time", { class: "muted small", datetime: a.finished_at || a.due_at || a.created_at || "" }, formatDateTime(a.finished_at || a.due_at || a.created_at)),
    a.status === "deferred" && a.due_at ? h("span", { class: "muted small" }, ` (${t("ding.deferredUntil", { time: formatDateTime(a.due_at) })})`) : null,
    a.error ? h("p", { class: "ding-step-error small", "data-testid": "ding-attempt-error" }, a.error) : null,
  );
}

function recipientEl(r) {
  const ok = !!r.confirmed_at;
  return h(
    "li",
    { class: "ding-recipient", "data-testid": "ding-recipient", "data-user-id": r.user.id, "data-confirmed": String(ok) },
    h(
      "div",
      { class: "ding-recipient-head" },
      avatar(r.user, "sm"),
      h("strong", {}, r.user.name),
      ok ? h("span", { class: "tag tag-ok" }, t("ding.confirmedShort")) : h("span", { class: "tag tag-warn" }, r.delivered_at ? t("ding.deliveredShort") : t("ding.notConfirmed")),
    ),
    h(
      "ol",
      { class: "ding-timeline" },
      when(t("ding.delivered"), r.delivered_at, "ding-delivered"),
      r.attempts.map(attemptEl),
      when(t("ding.confirmedLabel"), r.confirmed_at, "ding-confirmed"),
    ),
  );
}

function repliesEl(replies, names) {
  if (!replies.length) return h("p", { class: "muted small", "data-testid": "ding-replies-empty" }, t("ding.noReplies"));
  return h(
    "ul",
    { class: "ding-replies", "data-testid": "ding-replies" },
    replies.map((r) =>
      h(
        "li",
        { class: "ding-reply", "data-testid": "ding-reply" },
        h("strong", {}, names.get(r.user_id) || t("messages.someone")),
        " ",
        h("time", { class: "muted small", datetime: r.created_at || "" }, formatDateTime(r.created_at)),
        h("p", { dir: "auto" }, r.body),
      ),
    ),
  );
}

function replyForm(dingId) {
  const id = uid("ding-reply");
  const input = h("textarea", { id, name: "body", rows: 2, maxlength: 10000, "data-testid": "ding-reply-input", placeholder: t("ding.replyPlaceholder") });
  const form = h(
    "form",
    { class: "ding-reply-form", novalidate: true },
    h("label", { for: id, class: "sr-only" }, t("ding.reply")),
    input,
    h("button", { type: "submit", class: "btn", "data-testid": "ding-reply-send" }, t("ding.sendReply")),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = input.value.trim();
    if (!body) return input.focus();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      await api.post(`/dings/${encodeURIComponent(dingId)}/replies`, { body });
      input.value = "";
    } catch (error) {
      toast(errorText(error), { type: "error" });
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function render(ctx) {
  const id = ctx.params.id;
  const root = h("div", { class: "ding-detail", "data-testid": "ding-detail", "data-ding-id": id }, loading());
  ctx.main.append(root);
  let ding = null;
  let channels = null;
  let timer = null;
  let seq = 0;
  let remindChannel = "in_app";

  async function load() {
    const mine = ++seq;
    try {
      const [d, ch] = await Promise.all([api.get(`/dings/${encodeURIComponent(id)}`), channels ? channels : loadChannels().catch(() => null)]);
      if (mine !== seq || !ctx.isCurrent()) return;
      ding = d;
      channels = ch;
      draw();
    } catch (error) {
      if (mine !== seq || !ctx.isCurrent()) return;
      clear(root, backLink(false), h("div", { class: "page-head" }, h("h1", {}, t("nav.ding"))), h("p", { class: "notice notice-error", "data-testid": "ding-not-found" }, errorText(error)));
    }
  }

  const isSender = () => ding && Array.isArray(ding.recipients);

  function names() {
    const map = new Map([[ding.sender.id, ding.sender.name]]);
    for (const r of ding.recipients || []) map.set(r.user.id, r.user.name);
    if (user()) map.set(user().id, user().name);
    return map;
  }

  function head() {
    const who = isSender() ? t("ding.youSent") : t("ding.alertFrom", { name: ding.sender.name });
    return [
      backLink(isSender()),
      h("div", { class: "page-head" }, h("h1", {}, t("ding.detailTitle"))),
      h(
        "section",
        { class: "card ding-main" },
        h(
          "div",
          { class: "ding-main-head" },
          avatar(ding.sender, "md"),
          h(
            "div",
            {},
            h("strong", {}, who),
            h(
              "p",
              { class: "muted small" },
              ding.status === "scheduled" ? t("ding.scheduledFor", { time: formatDateTime(ding.scheduled_at) }) : formatDateTime(ding.sent_at),
              " · ",
              channelLabel(ding.channel),
            ),
          ),
          h("div", { class: "ding-item-tags" }, statusTag(ding), ding.critical ? h("span", { class: "tag tag-danger" }, t("ding.critical")) : null),
        ),
        ding.status === "recalled" ? h("p", { class: "notice", "data-testid": "ding-recalled" }, t("ding.recalledNote")) : h("div", { class: "ding-body", dir: "auto", "data-testid": "ding-detail-body" }, ding.body),
        ding.status !== "recalled" && ding.file ? h("div", { class: "ding-detail-file" }, dingFile(ding.file)) : null,
      ),
    ];
  }

  function remindBox() {
    const selectId = uid("remind-channel");
    const select = h(
      "select",
      { id: selectId, "data-testid": "ding-remind-channel" },
      CHANNELS.map((c) => {
        const info = channels ? channels[c] : { available: c === "in_app" };
        const ok = !info || info.available;
        return h("option", { value: c, disabled: !ok, selected: c === remindChannel }, ok ? channelLabel(c) : `${channelLabel(c)} — ${unavailableReason(c, info)}`);
      }),
    );
    select.addEventListener("change", () => (remindChannel = select.value));
    const button = h("button", { type: "button", class: "btn btn-primary", "data-testid": "ding-remind" }, t("ding.remind"));
    const wait = h("p", { class: "muted small", "data-testid": "ding-remind-wait", "aria-live": "off" });
    const tick = () => {
      const left = ding.next_remind_at ? Math.ceil((Date.parse(ding.next_remind_at) - Date.now()) / 1000) : 0;
      button.disabled = left > 0;
      wait.hidden = !(left > 0);
      if (left > 0) wait.textContent = t("ding.remindIn", { time: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` });
    };
    clearInterval(timer);
    timer = setInterval(tick, 1000);
    tick();
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        ding = await api.post(`/dings/${encodeURIComponent(id)}/remind`, { channel: select.value });
        toast(t("ding.reminded"), { type: "success" });
        draw();
      } catch (error) {
        if (error.code === "remind_too_soon" && error.details?.retry_after) {
          ding.next_remind_at = new Date(Date.now() + error.details.retry_after * 1000).toISOString();
        }
        toast(errorText(error), { type: "error" });
        tick();
      }
    });
    return h(
      "div",
      { class: "ding-remind" },
      h("div", { class: "field" }, h("label", { for: selectId }, t("ding.remindChannel")), select),
      h("div", { class: "field field-button" }, button),
      wait,
    );
  }

  async function recall() {
    const ok = await confirmDialog({ title: t("ding.recall"), message: t("ding.recallConfirm"), confirmLabel: t("ding.recall"), danger: true });
    if (!ok) return;
    try {
      await api.post(`/dings/${encodeURIComponent(id)}/recall`);
      toast(t("ding.recalledToast"), { type: "success" });
      load();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  function drawSender() {
    clearInterval(timer);
    const recipients = [...ding.recipients].sort((a, b) => (!!a.confirmed_at - !!b.confirmed_at) || a.user.name.localeCompare(b.user.name));
    const live = ding.status !== "recalled";
    clear(
      root,
      head(),
      h(
        "section",
        { class: "card", "aria-labelledby": "ding-progress-h" },
        h("h2", { id: "ding-progress-h" }, t("ding.progressTitle")),
        progressEl(ding, "ding-detail-progress"),
        h("p", { class: "muted small", "data-testid": "ding-policy" }, t("ding.policyLine", { policy: policyText(ding.policy) })),
        live && ding.status === "sent" && ding.confirmed < ding.total ? remindBox() : null,
        live && ding.status === "sent" && ding.confirmed >= ding.total ? h("p", { class: "notice notice-ok", "data-testid": "ding-all-confirmed" }, t("ding.allConfirmed")) : null,
        live
          ? h("div", { class: "actions ding-recall-row" }, h("button", { type: "button", class: "btn btn-danger-outline", "data-testid": "ding-recall", onclick: recall }, t("ding.recall")))
          : null,
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "ding-recipients-h" },
        h("h2", { id: "ding-recipients-h" }, t("ding.recipients")),
        h("ul", { class: "ding-recipients", "data-testid": "ding-recipients" }, recipients.map(recipientEl)),
      ),
      h("section", { class: "card", "aria-labelledby": "ding-replies-h" }, h("h2", { id: "ding-replies-h" }, t("ding.replies")), repliesEl(ding.replies || [], names()), live ? replyForm(id) : null),
    );
  }

  function drawRecipient() {
    const canConfirm = ding.status === "sent" && !ding.confirmed_at;
    clear(
      root,
      head(),
      h(
        "section",
        { class: "card" },
        ding.confirmed_at
          ? h("p", { class: "notice notice-ok", "data-testid": "ding-detail-confirmed" }, t("ding.confirmedAt", { time: formatDateTime(ding.confirmed_at) }))
          : null,
        canConfirm
          ? h(
              "button",
              {
                type: "button",
                class: "btn btn-primary ding-confirm-btn",
                "data-testid": "ding-detail-confirm",
                onclick: async (e) => {
                  e.currentTarget.disabled = true;
                  try {
                    ding = { ...ding, ...(await api.post(`/dings/${encodeURIComponent(id)}/confirm`)) };
                    toast(t("ding.confirmedToast"), { type: "success" });
                    markConfirmed(id);
                    draw();
                  } catch (error) {
                    toast(errorText(error), { type: "error" });
                    load();
                  }
                },
              },
              t("ding.confirm"),
            )
          : null,
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "ding-replies-h" },
        h("h2", { id: "ding-replies-h" }, t("ding.replies")),
        repliesEl(ding.replies || [], names()),
        ding.status !== "recalled" ? replyForm(id) : null,
      ),
    );
  }

  function draw() {
    const focused = document.activeElement;
    const keep = focused && root.contains(focused) && focused.dataset.testid;
    const draft = root.querySelector("[data-testid=ding-reply-input]")?.value || "";
    if (isSender()) drawSender();
    else drawRecipient();
    const input = root.querySelector("[data-testid=ding-reply-input]");
    if (input && draft) input.value = draft;
    if (keep) root.querySelector(`[data-testid="${keep}"]`)?.focus();
  }

  ctx.on("ding.progress", (event) => {
    const e = event.data || {};
    if (!ding || e.ding_id !== id || !isSender()) return;
    const recipients = ding.recipients.map((r) => (e.recipient && r.user.id === e.recipient.user.id ? e.recipient : r));
    ding = { ...ding, confirmed: e.confirmed, total: e.total, recipients };
    draw();
  });
  ctx.on("ding.replied", (event) => {
    const e = event.data || {};
    if (!ding || e.ding_id !== id || !e.reply) return;
    if ((ding.replies || []).some((r) => r.id === e.reply.id)) return;
    ding = { ...ding, replies: [...(ding.replies || []), e.reply] };
    draw();
  });
  ctx.on("ding.confirmed", (event) => {
    if (event.data?.ding_id === id && ding && !isSender()) {
      ding = { ...ding, confirmed_at: event.data.confirmed_at };
      draw();
    }
  });
  ctx.on("ding.recalled", (event) => {
    if (event.data?.ding_id === id) load();
  });
  ctx.on("stream.resync", () => load());
  await load();
  return () => clearInterval(timer);
}
