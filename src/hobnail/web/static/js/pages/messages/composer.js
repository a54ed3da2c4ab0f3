// The composer: multi-line input (Enter sends, Shift+Enter breaks the line), emoji picker,
// @mention picker, reply quote, throttled typing pings, and files (attach button, pasted
// pictures) handed to opts.onFiles.

import { api } from "../../api.js";
import { t } from "../../i18n.js";
import { h, clear, uid } from "../../ui.js";
import { store, meId, personName } from "./store.js";
import { glyph } from "./glyphs.js";
import { messageText } from "./text.js";

const EMOJI = "😀 😂 🤣 😊 😍 😘 😎 🤔 😅 😭 😡 😱 👍 👎 👏 🙏 💪 👌 🤝 ✌️ 🎉 🔥 ❤️ 💔 ⭐ ✅ ❌ ⚠️ ☕ 🍵 🍚 🍜 🍺 🎂 🌹 🚀 📅 📌 💡 💯".split(" ");
const TYPING_EVERY_MS = 3000;

/** Pasted pictures are all called "image.png": give each a dated name. */
function pastedName(file) {
  if (file.name && file.name !== "image.png") return file;
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  const ext = (file.type.split("/")[1] || "png").replace("jpeg", "jpg");
  return new File([file], `${t("files.pastedImage")}-${stamp}.${ext}`, { type: file.type, lastModified: file.lastModified });
}

/**
 * opts: {getConv(), getMembers() → Promise<[MemberOut]>, onSend({body, mentions, mention_all, reply_to}), onFiles([File]) }
 * Returns {el, setReply(message), focus(), refresh()}.
 */
export function createComposer(opts) {
  const inputId = uid("composer");
  const listId = uid("mentions");
  const hintId = uid("composer-hint");
  const input = h("textarea", {
    id: inputId,
    "aria-describedby": hintId,
    class: "composer-input",
    rows: 1,
    placeholder: t("messages.composerPlaceholder"),
    "data-testid": "composer-input",
    "aria-autocomplete": "list",
    "aria-controls": listId,
    "aria-expanded": "false",
  });
  const replyBar = h("div", { class: "composer-reply", hidden: true, "data-testid": "reply-preview" });
  const mentionList = h("ul", { id: listId, class: "mention-picker", role: "listbox", hidden: true, "aria-label": t("messages.mentionPicker"), "data-testid": "mention-picker" });
  const emojiPanel = h(
    "div",
    { class: "emoji-picker", hidden: true, role: "group", "aria-label": t("messages.emoji"), "data-testid": "emoji-picker" },
    EMOJI.map((e) => h("button", { type: "button", class: "emoji", "aria-label": e, "data-testid": "emoji-option", onclick: () => insertText(e) }, e)),
  );
  const emojiButton = h(
    "button",
    { type: "button", class: "icon-btn", "aria-label": t("messages.emoji"), "aria-expanded": "false", "data-testid": "emoji-button", onclick: () => toggleEmoji() },
    "☺",
  );
  const fileInput = h("input", { type: "file", multiple: true, hidden: true, tabindex: "-1", "data-testid": "attach-input" });
  const attachButton = h(
    "button",
    { type: "button", class: "icon-btn", "aria-label": t("files.attach"), title: t("files.attach"), "data-testid": "attach-button", onclick: () => fileInput.click() },
    glyph("clip", 20),
  );
  fileInput.addEventListener("change", () => {
    const files = [...(fileInput.files || [])];
    fileInput.value = "";
    if (files.length && opts.onFiles) opts.onFiles(files);
  });
  const mentionButton = h("button", { type: "button", class: "icon-btn", "aria-label": t("messages.mention"), "data-testid": "mention-button", onclick: () => insertText("@") }, "@");
  const sendButton = h("button", { type: "submit", class: "btn btn-primary composer-send", "data-testid": "send-button" }, t("messages.send"));
  const note = h("p", { class: "composer-note", hidden: true, "data-testid": "composer-disabled" });
  const form = h(
    "form",
    { class: "composer", "data-testid": "composer", "aria-label": t("messages.composer") },
    replyBar,
    mentionList,
    emojiPanel,
    h("div", { class: "composer-tools" }, emojiButton, mentionButton, attachButton, fileInput),
    h("div", { class: "composer-row" }, h("label", { for: inputId, class: "sr-only" }, t("messages.composer")), input, sendButton),
    h("p", { id: hintId, class: "sr-only" }, t("messages.composerHint")),
    note,
  );

  let reply = null;
  let picked = []; // [{id, name}] chosen from the picker
  let mentionAll = false;
  let mentionState = null; // {start, query, options, index}
  let lastPing = 0;

  function autosize() {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  }

  function insertText(text) {
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    input.setRangeText(text, start, end, "end");
    input.focus();
    autosize();
    input.dispatchEvent(new Event("input"));
  }

  function toggleEmoji(open = emojiPanel.hidden) {
    emojiPanel.hidden = !open;
    emojiButton.setAttribute("aria-expanded", String(open));
    if (open) emojiPanel.querySelector("button")?.focus();
  }
  emojiPanel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      toggleEmoji(false);
      emojiButton.focus();
    }
  });

  function canAtAll(conv) {
    return conv.kind !== "direct" && (conv.who_can_at_all === "all" || conv.my_role === "owner" || conv.my_role === "admin");
  }

  function closeMentions() {
    mentionState = null;
    mentionList.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  async function updateMentions() {
    const conv = opts.getConv();
    const caret = input.selectionStart;
    const before = input.value.slice(0, caret);
    const m = /(^|[\s(（])@([^\s@]{0,30})$/.exec(before);
    if (!m || !conv || conv.kind === "direct") return closeMentions();
    const query = m[2].toLowerCase();
    const start = caret - m[2].length - 1;
    const members = await opts.getMembers(query);
    if (input.selectionStart !== caret) return;
    const options = members
      .filter((x) => x.user_id !== meId() && x.name.toLowerCase().includes(query))
      .slice(0, 8)
      .map((x) => ({ id: x.user_id, name: x.name, avatar_url: x.avatar_url }));
    if (canAtAll(conv) && (!query || "all".startsWith(query) || "所有人".startsWith(query))) options.unshift({ id: "*", name: t("messages.mentionAll") });
    if (!options.length) return closeMentions();
    mentionState = { start, query, options, index: 0 };
    renderMentions();
  }

  function renderMentions() {
    const s = mentionState;
    clear(
      mentionList,
      s.options.map((o, i) =>
        h(
          "li",
          {
            id: `${listId}-${i}`,
            role: "option",
            class: "mention-option",
            "aria-selected": String(i === s.index),
            "data-testid": "mention-option",
            "data-user-id": o.id,
            onpointerdown: (e) => {
              e.preventDefault();
              choose(i);
            },
          },
          o.name,
        ),
      ),
    );
    mentionList.hidden = false;
    input.setAttribute("aria-expanded", "true");
    input.setAttribute("aria-activedescendant", `${listId}-${s.index}`);
  }

  function choose(i) {
    const s = mentionState;
    const option = s.options[i];
    const end = input.selectionStart;
    if (option.id === "*") {
      mentionAll = true;
      input.setRangeText("@all ", s.start, end, "end");
    } else {
      if (!picked.some((p) => p.id === option.id)) picked.push({ id: option.id, name: option.name });
      input.setRangeText(`@${option.name} `, s.start, end, "end");
    }
    closeMentions();
    input.focus();
    autosize();
  }

  function ping() {
    const conv = opts.getConv();
    const now = Date.now();
    if (!conv || now - lastPing < TYPING_EVERY_MS || !input.value.trim()) return;
    lastPing = now;
    api.post(`/conversations/${conv.id}/typing`).catch(() => {});
  }

  input.addEventListener("input", () => {
    autosize();
    updateMentions();
    ping();
  });
  input.addEventListener("click", () => updateMentions());
  // A pasted picture (a screenshot) is sent as a file; pasted text stays text.
  input.addEventListener("paste", (e) => {
    const files = [...(e.clipboardData?.files || [])];
    if (!files.length || !opts.onFiles) return;
    e.preventDefault();
    opts.onFiles(files.map(pastedName));
  });
  input.addEventListener("blur", () => setTimeout(closeMentions, 150));
  input.addEventListener("keydown", (e) => {
    if (mentionState && !mentionList.hidden) {
      const n = mentionState.options.length;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        mentionState.index = (mentionState.index + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
        renderMentions();
        return;
      }
      if ((e.key === "Enter" || e.key === "Tab") && !e.isComposing) {
        e.preventDefault();
        choose(mentionState.index);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        closeMentions();
        return;
      }
    }
    if (e.key === "Escape" && reply) {
      setReply(null);
      return;
    }
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const body = input.value.trim();
    if (!body || input.disabled) return;
    const mentions = picked.filter((p) => body.includes(`@${p.name}`)).map((p) => p.id);
    const all = mentionAll && /@(all|所有人)(\s|$)/.test(body);
    opts.onSend({ body, mentions, mention_all: all, reply_to: reply });
    input.value = "";
    picked = [];
    mentionAll = false;
    lastPing = 0;
    setReply(null);
    toggleEmoji(false);
    autosize();
    input.focus();
  });

  function setReply(message) {
    reply = message;
    replyBar.hidden = !message;
    if (!message) return clear(replyBar);
    clear(
      replyBar,
      h("span", { class: "composer-reply-text" }, t("messages.replyingTo", { name: personName(message.sender_id) }), " ", h("q", {}, messageText(message).slice(0, 120))),
      h("button", { type: "button", class: "icon-btn", "aria-label": t("messages.cancelReply"), "data-testid": "reply-cancel", onclick: () => setReply(null) }, "×"),
    );
    input.focus();
  }

  function refresh() {
    const conv = opts.getConv();
    if (!conv) return;
    const admin = conv.my_role === "owner" || conv.my_role === "admin";
    let blocked = null;
    if (conv.dissolved) blocked = t("messages.dissolvedNote");
    else if (conv.only_admins_speak && !admin) blocked = t("messages.onlyAdminsNote");
    input.disabled = !!blocked;
    sendButton.disabled = !!blocked;
    emojiButton.disabled = !!blocked;
    attachButton.disabled = !!blocked;
    mentionButton.disabled = !!blocked || conv.kind === "direct";
    mentionButton.hidden = conv.kind === "direct";
    note.hidden = !blocked;
    note.textContent = blocked || "";
    const max = store.settings?.max_message_chars;
    if (max) input.maxLength = max;
  }

  refresh();
  return { el: form, setReply, focus: () => input.focus(), refresh, input };
}
