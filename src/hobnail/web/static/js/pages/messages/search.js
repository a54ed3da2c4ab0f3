// Message search (GET /messages/search): results with chat name, sender, time and highlighted terms.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear } from "../../ui.js";
import { ensurePeople, personName } from "./store.js";
import { listTime, fullTime, messageText } from "./text.js";

/** Text with every occurrence of the search terms wrapped in <mark>. */
export function highlight(text, q) {
  const terms = q.split(/\s+/).filter(Boolean).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!terms.length) return [text];
  const re = new RegExp(`(${terms.join("|")})`, "gi");
  return text.split(re).map((part, i) => (i % 2 ? h("mark", {}, part) : part));
}

/** A snippet around the first match so long messages still show the hit. */
function snippet(text, q) {
  const first = q.split(/\s+/).filter(Boolean)[0] || "";
  const at = first ? text.toLowerCase().indexOf(first.toLowerCase()) : -1;
  if (at < 40) return text.slice(0, 160);
  return "…" + text.slice(at - 30, at + 130);
}

/**
 * createSearch({onOpen(conversationId, messageId)}) → {el, run(q), clear()}
 * el is the results region shown in place of the conversation list.
 */
export function createSearch({ onOpen }) {
  const status = h("p", { class: "search-status", role: "status", "data-testid": "search-status" });
  const list = h("ul", { class: "search-results", "data-testid": "search-results" });
  const more = h("button", { type: "button", class: "btn btn-block btn-small", hidden: true, "data-testid": "search-more" }, t("contacts.loadMore"));
  const el = h("div", { class: "search-panel" }, status, list, more);
  let seq = 0;
  let cursor = null;
  let query = "";

  async function load(append) {
    const mine = ++seq;
    more.hidden = true;
    if (!append) {
      clear(list);
      status.textContent = t("common.loading");
    }
    try {
      const page = await api.get("/messages/search", { q: query, cursor: append ? cursor : undefined, limit: 20 });
      await ensurePeople(page.items.map((x) => x.message.sender_id));
      if (mine !== seq) return;
      cursor = page.next_cursor;
      more.hidden = !cursor;
      list.append(
        ...page.items.map(({ message, conversation_name }) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "search-hit",
                "data-testid": "search-result",
                "data-message-id": message.id,
                "data-conversation-id": message.conversation_id,
                onclick: () => onOpen(message.conversation_id, message.id),
              },
              h(
                "span",
                { class: "conv-top" },
                h("span", { class: "conv-name" }, conversation_name),
                h("time", { class: "conv-time", datetime: message.created_at, title: fullTime(message.created_at) }, listTime(message.created_at)),
              ),
              h("span", { class: "search-line" }, h("strong", {}, personName(message.sender_id)), ": ", highlight(snippet(messageText(message), query), query)),
            ),
          ),
        ),
      );
      const n = list.children.length;
      status.textContent = n ? t("messages.searchCount", { count: n }) : t("messages.searchNone", { q: query });
    } catch (error) {
      if (mine === seq) status.textContent = errorText(error);
    }
  }
  more.addEventListener("click", () => load(true));

  return {
    el,
    run(q) {
      query = q;
      cursor = null;
      return load(false);
    },
    reset() {
      seq += 1;
      query = "";
      clear(list);
      status.textContent = "";
    },
  };
}
