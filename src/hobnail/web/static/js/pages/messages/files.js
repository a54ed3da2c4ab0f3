// A chat's Files view: every file shared there, newest first, searchable by name, with
// "load more" (next_before), sender, date, download and a jump to the message.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, dialog, debounce, uid, loading } from "../../ui.js";
import { humanSize, fileIcon, fileKind, canOpenInline, downloadUrl, viewUrl, thumbnailUrl } from "../../filetypes.js";
import { ensurePeople, personName, conversationTitle, store } from "./store.js";
import { fullTime } from "./text.js";
import { openImage } from "./attachments.js";
import { glyph } from "./glyphs.js";
import { icon } from "../../icons.js";

const PAGE = 50;

/** openFiles(convId, {onJump(messageId)}) → the dialog. */
export function openFiles(convId, { onJump } = {}) {
  const searchId = uid("files-search");
  const search = h("input", { id: searchId, type: "search", autocomplete: "off", placeholder: t("files.searchPlaceholder"), "data-testid": "files-search", enterkeyhint: "search" });
  const status = h("p", { class: "muted small files-status", role: "status", "data-testid": "files-status" });
  const list = h("ul", { class: "files-list", "data-testid": "files-list" });
  const more = h("button", { type: "button", class: "btn btn-small btn-block", hidden: true, "data-testid": "files-more", onclick: () => load(false) }, t("files.loadMore"));
  const conv = store.convs.get(convId);
  const d = dialog({
    title: conv ? t("files.titleIn", { name: conversationTitle(conv) }) : t("files.title"),
    testid: "files-dialog",
    wide: true,
    content: h(
      "div",
      { class: "files-view" },
      h("div", { class: "search files-search" }, h("label", { for: searchId, class: "sr-only" }, t("files.searchLabel")), icon("search", 18), search),
      status,
      list,
      more,
    ),
  });

  let before = null;
  let query = "";
  let generation = 0;
  let count = 0;

  function row(m) {
    const f = m.file;
    const image = fileKind(f) === "image" && f.has_thumbnail;
    const name = image
      ? h("button", { type: "button", class: "link-btn files-name", "data-testid": "files-name", title: f.name, onclick: () => openImage(f) }, f.name)
      : canOpenInline(f)
        ? h("a", { class: "files-name", href: viewUrl(f.id), target: "_blank", rel: "noopener", "data-testid": "files-name", title: f.name }, f.name)
        : h("span", { class: "files-name", "data-testid": "files-name", title: f.name }, f.name);
    const preview = image ? h("img", { class: "files-thumb", src: thumbnailUrl(f.id), alt: "", width: 32, height: 32, loading: "lazy" }) : fileIcon(f, 32);
    return h(
      "li",
      { class: "files-row", "data-testid": "files-row", "data-message-id": m.id, "data-file-id": f.id },
      preview,
      h(
        "div",
        { class: "files-main" },
        name,
        h(
          "span",
          { class: "files-meta" },
          h("span", { "data-testid": "files-size" }, humanSize(f.size)),
          h("span", { "data-testid": "files-sender" }, personName(m.sender_id)),
          h("time", { datetime: m.created_at, "data-testid": "files-date" }, fullTime(m.created_at)),
        ),
      ),
      h(
        "div",
        { class: "files-actions" },
        onJump
          ? h("button", { type: "button", class: "icon-btn", title: t("files.showInChat"), "aria-label": t("files.showInChatNamed", { name: f.name }), "data-testid": "files-jump", onclick: () => { d.close(); onJump(m.id); } }, icon("messages", 16))
          : null,
        h("a", { class: "icon-btn", href: downloadUrl(f.id), download: f.name, title: t("files.download"), "aria-label": t("files.downloadNamed", { name: f.name }), "data-testid": "files-download" }, glyph("download", 16)),
      ),
    );
  }

  async function load(reset) {
    const gen = ++generation;
    if (reset) {
      before = null;
      count = 0;
      clear(list, loading());
    }
    more.disabled = true;
    try {
      const page = await api.get(`/conversations/${convId}/files`, { q: query, before, limit: PAGE });
      const items = page.items.filter((m) => m.file);
      await ensurePeople(items.map((m) => m.sender_id));
      if (gen !== generation) return;
      if (reset) clear(list);
      list.append(...items.map(row));
      count += items.length;
      before = page.next_before;
      more.hidden = !before;
      status.textContent = count ? (query ? t("files.found", { count }) : "") : query ? t("files.noneMatch", { q: query }) : t("files.none");
      if (!count) clear(list);
    } catch (error) {
      if (gen !== generation) return;
      clear(list);
      status.textContent = errorText(error);
    } finally {
      more.disabled = false;
    }
  }

  const run = debounce(() => {
    const q = search.value.trim();
    if (q === query) return;
    query = q;
    load(true);
  }, 300);
  search.addEventListener("input", run);
  load(true);
  return d;
}
