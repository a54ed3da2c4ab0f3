// One message in the chat log: system lines, recalled notes, bubbles with sender, reply quote,
// forwarded tag, file (attachments.js), body (Markdown subset) or caption, time, "edited",
// receipts and pending/failed state.

import { t } from "../../i18n.js";
import { h, avatar } from "../../ui.js";
import { renderMarkdown } from "./markdown.js";
import { renderAttachment } from "./attachments.js";
import { store, meId, personName } from "./store.js";
import { systemText, recalledText, timeOf, fullTime, plain, dayLabel } from "./text.js";
import { isCard, renderCard, robotAvatar, robotBadge, robotName } from "./cards.js";

export function receiptLabel(message, conv) {
  const r = message.receipt;
  if (!r || !r.expected) return null;
  const unread = Math.max(0, r.expected - r.read);
  if (conv.kind === "direct") return unread ? t("messages.receiptUnread1") : t("messages.receiptRead1");
  return unread ? t("messages.receiptUnread", { count: unread }) : t("messages.receiptAllRead");
}

export function daySeparator(message) {
  return h("div", { class: "msg-day", role: "separator", "data-testid": "day-separator" }, h("span", {}, dayLabel(message.created_at)));
}

function mentionRefs(message) {
  return (message.mentions || []).map((id) => ({ id, name: personName(id) }));
}

/**
 * opts: {conv, onActions(message, anchor), onReceipts(message), onRetry(message), onQuote(message), highlight}
 */
export function renderMessage(message, opts) {
  const { conv } = opts;
  const attrs = { "data-message-id": message.id, "data-seq": message.seq ?? "", "data-testid": "message" };
  if (message.kind === "system") {
    return h("div", { ...attrs, class: "msg-system", "data-testid": "system-line" }, h("span", {}, systemText(message)));
  }
  if (message.recalled) {
    return h("div", { ...attrs, class: "msg-system msg-recalled", "data-testid": "message-recalled" }, h("span", {}, recalledText(message)));
  }
  const own = message.sender_id === meId();
  const robot = isCard(message);
  const person = robot
    ? { id: message.sender_id, name: robotName(message) }
    : store.people.get(message.sender_id) || { id: message.sender_id, name: personName(message.sender_id) };
  const showSender = !own && conv.kind !== "direct";

  const bubble = h("div", { class: "msg-bubble", "data-testid": "message-body" });
  if (message.forwarded_from) {
    bubble.append(
      h("div", { class: "msg-forwarded", "data-testid": "message-forwarded" }, t("messages.forwardedFrom", { name: message.forwarded_from.sender_name || t("messages.someone") })),
    );
  }
  if (message.reply_to) {
    const r = message.reply_to;
    bubble.append(
      h(
        "button",
        { type: "button", class: "msg-quote", "data-testid": "message-quote", onclick: () => opts.onQuote && opts.onQuote(r) },
        h("strong", {}, personName(r.sender_id)),
        ": ",
        r.recalled ? t("messages.quoteRecalled") : [r.file_name ? `📎 ${r.file_name}` : "", plain(r.body)].filter(Boolean).join(" "),
      ),
    );
  }
  if (message.kind === "file" && message.file) {
    bubble.classList.add("msg-bubble-file");
    bubble.append(renderAttachment(message.file));
  }
  if (message.kind === "file" && !message.file && !message.body) bubble.append(h("div", { class: "msg-text muted" }, t("files.kind.file")));
  if (robot) {
    bubble.classList.add("msg-bubble-card");
    bubble.append(renderCard(message, { mentions: mentionRefs(message), mentionAll: message.mentions_all, meId: meId() }));
  } else if (message.body || message.kind !== "file") {
    const text = h("div", { class: `msg-text${message.kind === "file" ? " msg-caption" : ""}`, dir: "auto" });
    text.append(renderMarkdown(message.body, { mentions: mentionRefs(message), mentionAll: message.mentions_all, meId: meId() }));
    bubble.append(text);
  }

  const meta = h("div", { class: "msg-meta" });
  if (message.created_at) meta.append(h("time", { datetime: message.created_at, title: fullTime(message.created_at) }, timeOf(message.created_at)));
  if (message.edited_at) meta.append(h("span", { class: "msg-edited", "data-testid": "message-edited" }, t("messages.edited")));
  if (message.pinned) meta.append(h("span", { class: "msg-pinned-tag", "data-testid": "message-pinned" }, t("messages.pinnedTag")));
  if (message.pending === "sending") {
    meta.append(h("span", { class: "spinner", role: "status", "aria-label": t("messages.sending"), "data-testid": "message-pending" }));
  } else if (message.pending === "failed") {
    meta.append(
      h("span", { class: "msg-failed", role: "alert" }, t("messages.failed")),
      h("button", { type: "button", class: "link-btn msg-retry", "data-testid": "message-retry", onclick: () => opts.onRetry(message) }, t("messages.retry")),
    );
  } else if (own) {
    const label = receiptLabel(message, conv);
    if (label) {
      const r = message.receipt;
      meta.append(
        h(
          "button",
          {
            type: "button",
            class: `link-btn msg-receipt${r.read >= r.expected ? " all-read" : ""}`,
            "data-testid": "message-receipt",
            "aria-haspopup": "dialog",
            onclick: () => opts.onReceipts(message),
          },
          label,
        ),
      );
    }
  }

  const more = message.pending
    ? null
    : h(
        "button",
        {
          type: "button",
          class: "icon-btn msg-more",
          "aria-label": t("messages.actionsFor", { name: own ? t("messages.you") : person.name }),
          "aria-haspopup": "menu",
          "data-testid": "message-actions",
          onclick: (e) => opts.onActions(message, e.currentTarget),
        },
        "⋯",
      );

  const el = h(
    "div",
    { ...attrs, class: `msg${own ? " msg-own" : ""}${message.pending ? " msg-pending" : ""}${robot && message.card.type !== "text" ? " msg-card" : ""}`, "data-own": own ? "true" : null },
    own ? null : robot ? robotAvatar("sm") : avatar(person, "sm"),
    h(
      "div",
      { class: "msg-main" },
      showSender ? h("div", { class: "msg-sender", "data-testid": "message-sender" }, person.name, robot ? [" ", robotBadge()] : null) : null,
      h("div", { class: "msg-row" }, bubble, more),
      meta,
    ),
  );
  if (!message.pending) {
    // Long press (phones) and right click open the actions menu.
    let timer = null;
    el.addEventListener("touchstart", () => {
      timer = setTimeout(() => opts.onActions(message, more), 500);
    }, { passive: true });
    for (const type of ["touchend", "touchmove", "touchcancel"]) el.addEventListener(type, () => clearTimeout(timer), { passive: true });
    bubble.addEventListener("contextmenu", (e) => {
      if (window.getSelection()?.toString()) return;
      e.preventDefault();
      opts.onActions(message, more);
    });
  }
  return el;
}
