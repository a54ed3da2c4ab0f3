// A safe Markdown subset for message bodies, built as DOM nodes (never innerHTML):
// **bold**, *italic*, `code`, ```code blocks```, http(s) links, line breaks and @mentions.
// Everything else stays literal text.

import { h } from "../../ui.js";

const FENCE = /```[^\n`]*\n?([\s\S]*?)```/g;
const URL_TAIL = /[.,;:!?'")\]）。，；：！？」』]+$/;

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function safeUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * renderMarkdown(body, {mentions: [{id, name}], mentionAll, meId}) → DocumentFragment.
 * Mentions are highlighted (class "mention", and "mention-me" for the reader).
 */
export function renderMarkdown(body, opts = {}) {
  const fragment = document.createDocumentFragment();
  const text = String(body ?? "");
  const mentionNames = (opts.mentions || []).filter((m) => m.name).sort((a, b) => b.name.length - a.name.length);
  const allWords = opts.mentionAll ? ["all", "所有人"] : [];
  const mentionSource = [...mentionNames.map((m) => escapeRegExp(m.name)), ...allWords].join("|");
  const inlinePattern = new RegExp(
    [
      "`([^`\\n]+)`", // 1 code
      "\\*\\*(?=\\S)([\\s\\S]+?)\\*\\*", // 2 bold
      "\\*(?=[^\\s*])([^*\\n]+?)\\*", // 3 italic
      "(https?:\\/\\/[^\\s<>\"'`]+)", // 4 link
      mentionSource ? `@(${mentionSource})` : "((?!))", // 5 mention (a group that never matches)
      "(\\n)", // 6 line break
    ].join("|"),
    "g",
  );

  const inline = (source, parent, depth = 0) => {
    let last = 0;
    const re = new RegExp(inlinePattern.source, "g");
    let m;
    while ((m = re.exec(source))) {
      if (m.index > last) parent.append(source.slice(last, m.index));
      let consumed = m[0];
      if (m[1] !== undefined) parent.append(h("code", {}, m[1]));
      else if (m[2] !== undefined && depth < 3) inline(m[2], parent.appendChild(h("strong")), depth + 1);
      else if (m[3] !== undefined && depth < 3) inline(m[3], parent.appendChild(h("em")), depth + 1);
      else if (m[4] !== undefined) {
        const raw = m[4].replace(URL_TAIL, "");
        consumed = raw;
        const href = safeUrl(raw);
        if (href) parent.append(h("a", { href, target: "_blank", rel: "noopener noreferrer" }, raw));
        else parent.append(raw);
        re.lastIndex = m.index + raw.length;
      } else if (m[5] !== undefined) {
        const who = mentionNames.find((x) => x.name === m[5]);
        const mine = who ? who.id === opts.meId : true;
        parent.append(h("span", { class: `mention${mine ? " mention-me" : ""}`, "data-testid": mine ? "mention-me" : "mention" }, m[0]));
      } else if (m[6] !== undefined) parent.append(h("br"));
      else parent.append(m[0]);
      last = m.index + consumed.length;
    }
    if (last < source.length) parent.append(source.slice(last));
  };

  let last = 0;
  let m;
  FENCE.lastIndex = 0;
  while ((m = FENCE.exec(text))) {
    if (m.index > last) inline(text.slice(last, m.index).replace(/\n$/, ""), fragment);
    fragment.append(h("pre", { class: "md-pre" }, h("code", {}, m[1].replace(/\n$/, ""))));
    last = m.index + m[0].length;
    if (text[last] === "\n") last += 1;
  }
  if (last < text.length) inline(text.slice(last), fragment);
  return fragment;
}
