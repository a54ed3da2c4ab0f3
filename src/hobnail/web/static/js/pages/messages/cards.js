// Robot and app cards (kind "card"): DingTalk's text, markdown, link, actionCard, feedCard and
// image messages, built as DOM nodes (never innerHTML). Robots are no organisation members, so
// their names come from the card (rememberRobots) and they get a robot avatar and badge.
//
// Markdown here is DingTalk's robot subset: headings # … ######, > quotes, - / 1. lists,
// [text](url) links, ![alt](url) images, plus the chat's inline subset (bold, italic, code).

import { t } from "../../i18n.js";
import { h } from "../../ui.js";
import { icon } from "../../icons.js";
import { renderMarkdown } from "./markdown.js";
import { store } from "./store.js";

export function isCard(message) {
  return message?.kind === "card" && !!message.card;
}

/** Only web addresses become links or pictures (the server checks too). */
export function safeUrl(text) {
  try {
    const url = new URL(String(text || "").trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Robots' names from their cards, so the directory is never asked about them (it would 404). */
export function rememberRobots(messages) {
  for (const m of messages || []) {
    const robot = m?.card?.robot;
    if (m && m.kind === "card" && robot?.name && m.sender_id) {
      store.people.set(m.sender_id, { id: m.sender_id, name: robot.name, avatar_url: null, robot: true });
    }
  }
}

export function robotName(message) {
  return message?.card?.robot?.name || t("messages.someone");
}

/** "[Robot] title" for the chat list, pins and notifications. */
export function cardPreview(message) {
  const card = message.card || {};
  const text = card.title || (card.links && card.links[0]?.title) || String(message.body || "");
  const line = text.replace(/[#>*`]/g, "").replace(/\s+/g, " ").trim();
  return `[${t("robots.badge")}] ${line}`;
}

export function robotAvatar(size = "sm") {
  return h("span", { class: `avatar avatar-${size} avatar-robot`, role: "img", "aria-label": t("robots.badge") }, icon("robot", size === "sm" ? 18 : 24));
}

export function robotBadge() {
  return h("span", { class: "tag tag-robot", "data-testid": "robot-badge" }, t("robots.badge"));
}

// ---------- markdown ----------

const MEDIA = /!\[([^\]\n]*)\]\(([^)\s]+)\)|\[([^\]\n]+)\]\(([^)\s]+)\)/g;

function inline(text, parent, opts) {
  let last = 0;
  let m;
  MEDIA.lastIndex = 0;
  while ((m = MEDIA.exec(text))) {
    if (m.index > last) parent.append(renderMarkdown(text.slice(last, m.index), opts));
    if (m[2] !== undefined) {
      const src = safeUrl(m[2]);
      parent.append(src ? h("img", { class: "card-md-img", src, alt: m[1] || "", loading: "lazy", referrerpolicy: "no-referrer" }) : m[0]);
    } else {
      const href = safeUrl(m[4]);
      if (href) {
        const a = h("a", { href, target: "_blank", rel: "noopener noreferrer" });
        a.append(renderMarkdown(m[3], { ...opts, mentions: [] }));
        // A link inside the text of a link is not a link twice.
        a.querySelectorAll("a").forEach((inner) => inner.replaceWith(inner.textContent));
        parent.append(a);
      } else parent.append(m[0]);
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) parent.append(renderMarkdown(text.slice(last), opts));
  return parent;
}

/** DingTalk's robot Markdown → a fragment of blocks. */
export function renderRobotMarkdown(source, opts = {}) {
  const out = document.createDocumentFragment();
  const lines = String(source ?? "").replace(/\r\n?/g, "\n").split("\n");
  let para = null;
  let list = null;
  let quote = null;
  const end = () => {
    para = list = quote = null;
  };
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, "");
    let m;
    if (!line.trim()) {
      end();
    } else if ((m = /^\s{0,3}(#{1,6})\s+(.*)$/.exec(line))) {
      end();
      const level = m[1].length;
      out.append(inline(m[2].replace(/\s+#+$/, ""), h("div", { class: `md-h md-h${level}`, role: "heading", "aria-level": String(Math.min(6, level + 2)) }), opts));
    } else if ((m = /^\s{0,3}>\s?(.*)$/.exec(line))) {
      para = list = null;
      if (!quote) out.append((quote = h("blockquote", { class: "md-quote" })));
      else quote.append(h("br"));
      inline(m[1], quote, opts);
    } else if ((m = /^\s*(?:([-*+])|(\d{1,3})[.)])\s+(.*)$/.exec(line))) {
      para = quote = null;
      const tag = m[1] ? "ul" : "ol";
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = h(tag, { class: "md-list", start: m[2] && m[2] !== "1" ? m[2] : null });
        out.append(list);
      }
      list.append(inline(m[3], h("li"), opts));
    } else if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      end();
      out.append(h("hr", { class: "md-hr" }));
    } else {
      list = quote = null;
      if (!para) out.append((para = h("p", { class: "md-p" })));
      else para.append(h("br"));
      inline(line, para, opts);
    }
  }
  return out;
}

// ---------- cards ----------

function linkAttrs(url, extra = {}) {
  return { href: url, target: "_blank", rel: "noopener noreferrer", ...extra };
}

function picture(url, cls, alt = "") {
  const src = safeUrl(url);
  return src ? h("img", { class: cls, src, alt, loading: "lazy", referrerpolicy: "no-referrer" }) : null;
}

/** Does the text already start with the title (DingTalk shows the title only in previews)? */
function titleInText(title, text) {
  const first = String(text || "").trim().split("\n")[0].replace(/[#>*`\s]/g, "");
  const bare = String(title || "").replace(/[#>*`\s]/g, "");
  return !bare || first.includes(bare);
}

function buttons(card) {
  const list = (card.buttons || []).map((b) => ({ title: b.title, url: safeUrl(b.url) })).filter((b) => b.url);
  if (!list.length) return null;
  const horizontal = String(card.button_orientation) === "1";
  return h(
    "div",
    { class: `card-buttons${horizontal ? " card-buttons-row" : ""}`, "data-testid": "card-buttons" },
    list.map((b) => h("a", linkAttrs(b.url, { class: "card-btn", "data-testid": "card-button" }), b.title || b.url)),
  );
}

/**
 * renderCard(message, mdOpts) → the card's content for the message bubble.
 * mdOpts: the chat's Markdown options ({mentions, mentionAll, meId}).
 */
export function renderCard(message, mdOpts = {}) {
  const card = message.card || {};
  const type = card.type;
  const box = h("div", { class: `card-msg card-${String(type || "text").toLowerCase()}`, "data-testid": "robot-card", "data-card-type": type || "" });
  if (type === "markdown" || type === "actionCard") {
    if (type === "actionCard" && !titleInText(card.title, card.text)) {
      box.append(h("div", { class: "card-title", role: "heading", "aria-level": "3" }, card.title));
    }
    box.append(h("div", { class: "card-md msg-text", dir: "auto" }, renderRobotMarkdown(card.text, mdOpts)));
    if (type === "actionCard") box.append(buttons(card));
  } else if (type === "link" && card.link && safeUrl(card.link.url)) {
    box.append(
      h(
        "a",
        linkAttrs(safeUrl(card.link.url), { class: "card-link", "data-testid": "card-link" }),
        h("span", { class: "card-link-text" }, h("strong", { class: "card-title" }, card.title || ""), h("span", { class: "card-link-body" }, card.text || "")),
        picture(card.link.pic_url, "card-link-pic"),
      ),
    );
  } else if (type === "feedCard") {
    const links = (card.links || []).filter((l) => safeUrl(l.url));
    box.append(
      h(
        "ul",
        { class: "card-feed", "data-testid": "card-feed" },
        links.map((l, i) =>
          h(
            "li",
            { class: i === 0 ? "card-feed-first" : "" },
            h("a", linkAttrs(safeUrl(l.url), { class: "card-feed-item", "data-testid": "card-feed-item" }), h("span", { class: "card-feed-title" }, l.title), picture(l.pic_url, "card-feed-pic")),
          ),
        ),
      ),
    );
  } else if (type === "image" && card.link && safeUrl(card.link.pic_url || card.link.url)) {
    const src = safeUrl(card.link.pic_url || card.link.url);
    box.append(h("a", linkAttrs(safeUrl(card.link.url) || src, { class: "card-image", "aria-label": t("robots.openImage") }), picture(src, "card-image-pic", t("robots.picture"))));
  } else {
    box.append(h("div", { class: "msg-text", dir: "auto" }, renderMarkdown(card.text ?? message.body, mdOpts)));
  }
  return box;
}
