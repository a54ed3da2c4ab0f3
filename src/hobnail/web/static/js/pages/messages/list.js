// The conversation list: avatar, name, kind tag, last message preview, time, unread and @ badges,
// muted icon. Re-rendered from the store; the open chat is marked with aria-current.

import { t } from "../../i18n.js";
import { h, clear, avatar, initials } from "../../ui.js";
import { store, sortedConversations, conversationTitle } from "./store.js";
import { previewText, listTime } from "./text.js";
import { glyph } from "./glyphs.js";

/** Avatar of a chat: the peer's in 1:1 chats, else the start of the group's name. */
export function conversationAvatar(conv, size = "md") {
  const name = conversationTitle(conv);
  if (conv.kind === "direct") return avatar({ id: conv.peer?.id || conv.id, name, avatar_url: conv.peer?.avatar_url }, size);
  if (conv.avatar_url) return avatar({ id: conv.id, name, avatar_url: conv.avatar_url }, size);
  const node = avatar({ id: conv.id, name }, size);
  const cjk = /^[\u3400-\u9fff]{1,2}/.exec(name.trim());
  node.textContent = cjk ? cjk[0] : initials(name);
  node.classList.add("avatar-group");
  return node;
}

function badges(conv) {
  const out = [];
  if (conv.mention_count) {
    out.push(
      h(
        "span",
        { class: "conv-at", "data-testid": "conversation-mention", title: t("messages.mentionedYou") },
        h("span", { "aria-hidden": "true" }, "@"),
        h("span", { class: "sr-only" }, t("messages.mentionCount", { count: conv.mention_count })),
      ),
    );
  }
  if (conv.unread_count) {
    out.push(
      h(
        "span",
        { class: `conv-unread${conv.muted ? " conv-unread-muted" : ""}`, "data-testid": "conversation-unread" },
        h("span", { "aria-hidden": "true" }, conv.unread_count > 99 ? "99+" : String(conv.unread_count)),
        h("span", { class: "sr-only" }, t("messages.unreadCount", { count: conv.unread_count })),
      ),
    );
  }
  return out;
}

function kindTag(conv) {
  if (conv.kind === "department") return h("span", { class: "tag tag-dept", "data-testid": "conversation-tag" }, t("messages.kindDepartment"));
  if (conv.kind === "all_staff") return h("span", { class: "tag tag-all", "data-testid": "conversation-tag" }, t("messages.kindAllStaff"));
  if (conv.kind === "class") return h("span", { class: "tag tag-class", "data-testid": "conversation-tag" }, t("messages.kindClass"));
  return null;
}

export function conversationItem(conv, { active, onOpen }) {
  const name = conversationTitle(conv);
  const preview = previewText(conv.last_message, conv);
  return h(
    "li",
    { class: "conv-li" },
    h(
      "a",
      {
        href: `/messages/${conv.id}`,
        class: `conv-item${conv.unread_count && !conv.muted ? " has-unread" : ""}`,
        "aria-current": active ? "true" : null,
        "data-testid": "conversation-item",
        "data-conversation-id": conv.id,
        onclick: onOpen
          ? (e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey) return;
              e.preventDefault();
              onOpen(conv);
            }
          : null,
      },
      h("span", { class: "conv-avatar" }, conversationAvatar(conv)),
      h(
        "span",
        { class: "conv-main" },
        h(
          "span",
          { class: "conv-top" },
          h("span", { class: "conv-name", "data-testid": "conversation-name" }, name),
          kindTag(conv),
          conv.dissolved ? h("span", { class: "tag tag-muted" }, t("messages.dissolvedTag")) : null,
          h("time", { class: "conv-time", datetime: conv.last_message_at || null }, listTime(conv.last_message_at)),
        ),
        h(
          "span",
          { class: "conv-bottom" },
          h(
            "span",
            { class: "conv-preview", "data-testid": "conversation-preview" },
            conv.mention_count ? h("span", { class: "conv-at-text" }, t("messages.mentionedYouShort"), " ") : null,
            preview,
          ),
          conv.muted ? h("span", { class: "conv-muted", "data-testid": "conversation-muted", title: t("messages.muted") }, glyph("mute"), h("span", { class: "sr-only" }, t("messages.muted"))) : null,
          badges(conv),
        ),
      ),
    ),
  );
}

/** Renders the whole list into `ul`. */
export function renderList(ul, { activeId, onOpen }) {
  const convs = sortedConversations();
  if (!convs.length) {
    clear(ul, h("li", {}, h("p", { class: "empty", "data-testid": "conversations-empty" }, store.loaded ? t("messages.noChats") : t("common.loading"))));
    return;
  }
  clear(ul, convs.map((c) => conversationItem(c, { active: c.id === activeId, onOpen })));
}
