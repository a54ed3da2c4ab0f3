// Message actions: the pop-up menu (reply, forward, copy, edit, recall, pin, receipts, DING) and the
// forward, edit and receipts dialogs.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, dialog, confirmDialog, toast, copyText, avatar, formError, showError, busy, uid, loading } from "../../ui.js";
import { store, meId, subscribe, conversationTitle, sortedConversations } from "./store.js";
import { messageText } from "./text.js";
import { conversationAvatar } from "./list.js";
import { dingMessage } from "../ding/composer.js";

const RECALL_MS = 24 * 60 * 60 * 1000;
let openMenu = null;

export function closeMenu() {
  if (openMenu) openMenu();
}

function isGroupAdmin(conv) {
  return conv.my_role === "owner" || conv.my_role === "admin";
}

/** What the current person may do with a message (the server has the last word). */
export function allowedActions(message, conv) {
  const own = message.sender_id === meId();
  const age = Date.now() - Date.parse(message.created_at);
  const editWindow = (store.settings?.edit_window_minutes ?? 1440) * 60000;
  const active = !conv.dissolved;
  const canPin = conv.kind === "direct" || isGroupAdmin(conv);
  return {
    reply: active,
    forward: true,
    copy: message.kind !== "file" || !!message.body,
    edit: active && own && editWindow > 0 && age < editWindow,
    recall: active && ((own && age < RECALL_MS) || (conv.kind !== "direct" && isGroupAdmin(conv))),
    pin: active && canPin && !message.pinned,
    unpin: active && canPin && message.pinned,
    receipts: own && !!message.receipt,
    ding: active && message.kind !== "system" && !message.recalled,
  };
}

/**
 * Opens the actions menu next to `anchor`. handlers: {reply, forward, copy, edit, recall, pin, unpin, receipts}.
 */
export function showActionsMenu(message, conv, anchor, handlers) {
  closeMenu();
  const allowed = allowedActions(message, conv);
  const items = [
    ["reply", t("messages.reply")],
    ["forward", t("messages.forward")],
    ["copy", t("common.copy")],
    ["edit", t("common.edit")],
    ["recall", t("messages.recall")],
    ["pin", t("messages.pin")],
    ["unpin", t("messages.unpin")],
    ["receipts", t("messages.receipts")],
    ["ding", t("ding.dingThisMessage")],
  ].filter(([key]) => allowed[key]);
  const menu = h(
    "div",
    { class: "menu msg-menu", role: "menu", "aria-label": t("messages.actions"), "data-testid": "message-menu" },
    items.map(([key, label]) =>
      h(
        "button",
        {
          type: "button",
          class: `menu-item${key === "recall" ? " danger" : ""}`,
          role: "menuitem",
          "data-testid": `action-${key}`,
          onclick: () => {
            close();
            // DING is handled here (the chat passes no handler for it).
            if (key === "ding") dingMessage(message, conv);
            else handlers[key](message);
          },
        },
        label,
      ),
    ),
  );
  document.body.append(menu);
  const rect = (anchor && anchor.isConnected ? anchor : document.body).getBoundingClientRect();
  const mw = menu.offsetWidth;
  const mh = menu.offsetHeight;
  let left = Math.min(window.innerWidth - mw - 8, Math.max(8, rect.right - mw));
  let top = rect.bottom + 4;
  if (top + mh > window.innerHeight - 8) top = Math.max(8, rect.top - mh - 4);
  menu.style.left = `${left}px`;
  menu.style.top = `${top}px`;
  const buttons = [...menu.querySelectorAll("button")];
  buttons[0]?.focus();
  const onKey = (e) => {
    const i = buttons.indexOf(document.activeElement);
    if (e.key === "Escape") {
      close();
      anchor?.focus();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      buttons[(i + 1) % buttons.length].focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      buttons[(i - 1 + buttons.length) % buttons.length].focus();
    } else if (e.key === "Tab") close();
  };
  const onDown = (e) => {
    if (!menu.contains(e.target)) close();
  };
  menu.addEventListener("keydown", onKey);
  setTimeout(() => document.addEventListener("pointerdown", onDown, true));
  window.addEventListener("resize", close);
  function close() {
    menu.remove();
    document.removeEventListener("pointerdown", onDown, true);
    window.removeEventListener("resize", close);
    if (openMenu === close) openMenu = null;
  }
  openMenu = close;
}

// ---------- handlers shared by the chat ----------

export async function recallMessage(message) {
  const ok = await confirmDialog({ title: t("messages.recallTitle"), message: t("messages.recallConfirm"), confirmLabel: t("messages.recall"), danger: true });
  if (!ok) return null;
  try {
    return await api.post(`/messages/${message.id}/recall`);
  } catch (error) {
    toast(errorText(error), { type: "error" });
    return null;
  }
}

export async function setPinned(message, pinned) {
  try {
    const updated = pinned ? await api.put(`/messages/${message.id}/pin`) : await api.del(`/messages/${message.id}/pin`);
    toast(pinned ? t("messages.pinnedToast") : t("messages.unpinnedToast"), { type: "success" });
    return updated;
  } catch (error) {
    toast(errorText(error), { type: "error" });
    return null;
  }
}

export function copyMessage(message) {
  return copyText(message.body);
}

/** Edit dialog; resolves with the updated message or null. */
export function editMessage(message, members) {
  const id = uid("edit");
  const area = h("textarea", { id, name: "body", rows: 5, "data-testid": "edit-input", maxlength: store.settings?.max_message_chars || null });
  area.value = message.body;
  const form = h(
    "form",
    { class: "stack", "data-testid": "edit-form", novalidate: true },
    formError(),
    h("div", { class: "field" }, h("label", { for: id }, message.kind === "file" ? t("files.captionLabel") : t("messages.editLabel")), area),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "btn", onclick: () => d.close(null) }, t("common.cancel")),
      h("button", { type: "submit", class: "btn btn-primary", "data-testid": "edit-save" }, t("common.save")),
    ),
  );
  const d = dialog({ title: t("messages.editTitle"), testid: "edit-dialog", content: form });
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
  area.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const body = area.value.trim();
    if (!body && message.kind !== "file") return; // a file's caption may be emptied
    busy(form, async () => {
      try {
        // The mentions are the members whose @name is in the edited text: kept, dropped or new.
        // members: the chat's list, or (big groups) a function that finds the @names of a text.
        const pool = typeof members === "function" ? await members(body) : members || [];
        const mentions = [...new Set(pool.filter((x) => x.user_id !== meId() && body.includes(`@${x.name}`)).map((x) => x.user_id))];
        const updated = await api.patch(`/messages/${message.id}`, { body, mentions });
        d.close(updated);
      } catch (error) {
        showError(form, error);
      }
    });
  });
  return d.closed.then((v) => v || null);
}

/** Forward dialog: pick one or more chats. */
export function forwardMessage(message) {
  const chosen = new Set();
  const searchId = uid("fwd-search");
  const search = h("input", { id: searchId, type: "search", autocomplete: "off", placeholder: t("messages.forwardSearch"), "data-testid": "forward-search" });
  const list = h("ul", { class: "pick-list", "data-testid": "forward-list" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", disabled: true, "data-testid": "forward-submit" }, t("messages.forward"));
  const renderList = () => {
    const q = search.value.trim().toLowerCase();
    const convs = sortedConversations().filter((c) => !c.dissolved && (!q || conversationTitle(c).toLowerCase().includes(q)));
    clear(
      list,
      convs.map((c) => {
        const cbId = uid("fwd");
        return h(
          "li",
          {},
          h("input", {
            type: "checkbox",
            id: cbId,
            checked: chosen.has(c.id),
            "data-testid": "forward-option",
            "data-conversation-id": c.id,
            onchange: (e) => {
              if (e.target.checked) chosen.add(c.id);
              else chosen.delete(c.id);
              submit.disabled = !chosen.size || chosen.size > 20;
            },
          }),
          h("label", { for: cbId, class: "pick-label" }, conversationAvatar(c, "sm"), h("span", {}, conversationTitle(c))),
        );
      }),
    );
  };
  search.addEventListener("input", renderList);
  renderList();
  const form = h(
    "form",
    { class: "stack" },
    formError(),
    h("blockquote", { class: "fwd-preview" }, messageText(message).slice(0, 200)),
    h("div", { class: "field" }, h("label", { for: searchId, class: "sr-only" }, t("messages.forwardSearch")), search),
    list,
    h("div", { class: "actions" }, submit),
  );
  const d = dialog({ title: t("messages.forwardTitle"), testid: "forward-dialog", content: form });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await api.post(`/messages/${message.id}/forward`, { conversation_ids: [...chosen] });
        toast(t("messages.forwarded", { count: chosen.size }), { type: "success" });
        d.close(true);
      } catch (error) {
        showError(form, error);
      }
    });
  });
  return d.closed;
}

/** Receipts dialog: who read the message and who has not; follows message.read live. */
export function showReceipts(message) {
  const body = h("div", { class: "receipts" }, loading());
  const d = dialog({ title: t("messages.receiptsTitle"), testid: "receipts-dialog", content: body });
  const column = (title, people, testid) =>
    h(
      "section",
      { class: "receipts-col" },
      h("h3", {}, title, " ", h("span", { class: "count", "data-testid": `${testid}-count` }, String(people.length))),
      people.length
        ? h("ul", { class: "receipts-list", "data-testid": testid }, people.map((p) => h("li", { "data-testid": "receipt-person" }, avatar(p, "sm"), h("span", {}, p.name))))
        : h("p", { class: "muted small", "data-testid": testid }, t("messages.nobody")),
    );
  const load = async () => {
    try {
      const r = await api.get(`/messages/${message.id}/receipts`);
      clear(body, column(t("messages.readBy"), r.read, "receipts-read"), column(t("messages.unreadBy"), r.unread, "receipts-unread"));
    } catch (error) {
      clear(body, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  };
  load();
  const stop = subscribe((kind, data) => {
    if (kind !== "read") return;
    const e = data.data;
    if (e.conversation_id === message.conversation_id && e.from_seq < message.seq && message.seq <= e.to_seq) load();
  });
  d.closed.then(stop);
  return d;
}
