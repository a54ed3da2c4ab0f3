// The chat view: header, announcement and pins, the message log (infinite scroll upward,
// day separators, unread divider, live updates, receipts), typing line, uploads (upload-tray.js;
// files come from the composer, paste and drag-and-drop) and the composer.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, toast, loading, debounce } from "../../ui.js";
import {
  store,
  meId,
  subscribe,
  loadMembers,
  ensurePeople,
  personName,
  conversationTitle,
  updateConversation,
  typingIn,
  loadSettings,
  fetchConversation,
} from "./store.js";
import { renderMessage, daySeparator } from "./render.js";
import { conversationAvatar } from "./list.js";
import { glyph } from "./glyphs.js";
import { createComposer } from "./composer.js";
import { showActionsMenu, closeMenu, recallMessage, setPinned, copyMessage, editMessage, forwardMessage, showReceipts } from "./actions.js";
import { openSettings } from "./settings.js";
import { createUploadTray } from "./upload-tray.js";
import { openFiles } from "./files.js";
import { icon } from "../../icons.js";
import { systemPeople, dayKey, messageText } from "./text.js";
import { rememberRobots } from "./cards.js";

const PAGE = 50;

function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

function peopleIn(messages) {
  rememberRobots(messages);
  const ids = [];
  for (const m of messages) {
    ids.push(m.sender_id, m.recalled_by, m.reply_to?.sender_id, ...(m.mentions || []));
    if (m.kind === "system") ids.push(...systemPeople(m));
  }
  return ids.filter(Boolean);
}

/**
 * createChat({convId, aroundId, onBack, onLeft}) → {el, destroy(), jumpTo(messageId)}
 */
export function createChat({ convId, aroundId, onBack, onLeft }) {
  const s = {
    msgs: [],
    byId: new Map(),
    pending: [],
    hasBefore: false,
    hasAfter: false,
    busyOlder: false,
    busyNewer: false,
    readSent: 0,
    firstUnread: null, // seq of the first unread message when the chat was opened
    unreadAtOpen: 0,
    highlight: aroundId || null,
    destroyed: false,
    members: [],
  };
  const conv = () => store.convs.get(convId);

  const titleId = `chat-title-${convId}`;
  const title = h("h2", { id: titleId, class: "chat-title", "data-testid": "chat-title" });
  const subtitle = h("p", { class: "chat-sub", "data-testid": "chat-subtitle" });
  const headAvatar = h("span", { class: "chat-avatar" });
  const settingsButton = h(
    "button",
    { type: "button", class: "btn btn-small", "data-testid": "chat-settings", onclick: () => openSettings(convId, { onLeft }) },
    t("messages.settings"),
  );
  const filesButton = h(
    "button",
    { type: "button", class: "icon-btn", "aria-label": t("files.title"), title: t("files.title"), "aria-haspopup": "dialog", "data-testid": "chat-files", onclick: () => openFiles(convId, { onJump: (id) => jumpTo(id) }) },
    icon("folder", 20),
  );
  const head = h(
    "header",
    { class: "chat-head" },
    h("button", { type: "button", class: "icon-btn chat-back", "aria-label": t("messages.back"), "data-testid": "chat-back", onclick: onBack }, "‹"),
    headAvatar,
    h("div", { class: "chat-head-text" }, title, subtitle),
    filesButton,
    settingsButton,
  );
  const banner = h("div", { class: "chat-banner" });
  const log = h("div", {
    class: "chat-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-labelledby": titleId,
    tabindex: "0",
    "data-testid": "message-log",
  });
  const typing = h("p", { class: "chat-typing", "aria-live": "polite", "data-testid": "typing-indicator" });
  const jumpUnread = h("button", { type: "button", class: "chat-jump chat-jump-up", hidden: true, "data-testid": "jump-unread", onclick: () => jumpToUnread() });
  const jumpLatest = h("button", { type: "button", class: "chat-jump chat-jump-down", hidden: true, "data-testid": "jump-latest", onclick: () => jumpToLatest() }, t("messages.jumpLatest"));
  const composer = createComposer({
    getConv: conv,
    getMembers: (query) => mentionCandidates(query),
    onSend: (draft) => send(draft),
    onFiles: (files) => tray.addFiles(files),
  });
  const tray = createUploadTray({ convId, canSend: () => !composer.input.disabled, onSent: (m) => acceptOwn(m) });
  const el = h(
    "section",
    { class: "chat", "aria-labelledby": titleId, "data-testid": "chat", "data-conversation-id": convId },
    head,
    banner,
    h("div", { class: "chat-log-wrap" }, log, jumpUnread, jumpLatest),
    typing,
    tray.el,
    composer.el,
    tray.drop,
  );
  tray.watchDrops(el);

  /** Who the @ picker offers: from the loaded list, or — in big groups — asked of the server by name. */
  async function mentionCandidates(query) {
    const c = conv();
    if (!c || c.kind === "direct") return [];
    if (!isBigGroup(c)) return membersList();
    try {
      return await api.get(`/conversations/${convId}/members`, { q: query || undefined, limit: 9 });
    } catch {
      return [];
    }
  }

  /** Big groups: the members each @word of a text may name, asked of the server. */
  async function membersNamedIn(body) {
    const words = [...new Set([...body.matchAll(/@([^\s@]{1,30})/g)].map((m) => m[1]))].slice(0, 20);
    const found = await Promise.all(words.map((w) => mentionCandidates(w)));
    return found.flat();
  }

  async function membersList() {
    const c = conv();
    if (!c || c.kind === "direct") return [];
    try {
      s.members = await loadMembers(convId);
    } catch {
      /* keep the last list */
    }
    return s.members;
  }

  // ---------- header, banner ----------

  function renderHead() {
    const c = conv();
    if (!c) return;
    title.textContent = conversationTitle(c);
    const bits = [];
    if (c.kind === "department") bits.push(h("span", { class: "tag tag-dept" }, t("messages.kindDepartment")));
    if (c.kind === "all_staff") bits.push(h("span", { class: "tag tag-all" }, t("messages.kindAllStaff")));
    if (c.kind === "class") bits.push(h("span", { class: "tag tag-class" }, t("messages.kindClass")));
    if (c.kind !== "direct") bits.push(h("span", {}, t("messages.memberCount", { count: c.member_count })));
    if (c.muted) bits.push(h("span", { class: "chat-muted", "data-testid": "chat-muted" }, glyph("mute", 12), t("messages.muted")));
    clear(subtitle, bits);
    clear(headAvatar, conversationAvatar(c));
  }

  let pins = [];
  async function loadPins() {
    try {
      pins = await api.get(`/conversations/${convId}/pins`);
      await ensurePeople(peopleIn(pins));
    } catch {
      pins = [];
    }
    renderBanner();
  }

  function renderBanner() {
    const c = conv();
    if (!c) return;
    const parts = [];
    if (c.announcement) {
      parts.push(
        h(
          "div",
          { class: "chat-announcement", "data-testid": "chat-announcement" },
          h("strong", {}, t("messages.announcement"), ": "),
          h("span", { class: "chat-announcement-text" }, c.announcement),
        ),
      );
    }
    if (pins.length) {
      const first = pins[0];
      parts.push(
        h(
          "div",
          { class: "chat-pins", "data-testid": "chat-pins" },
          glyph("pin"),
          h(
            "button",
            { type: "button", class: "link-btn chat-pin", "data-testid": "chat-pin", onclick: () => jumpTo(first.id) },
            `${personName(first.sender_id)}: ${messageText(first).slice(0, 80)}`,
          ),
          pins.length > 1
            ? h(
                "details",
                { class: "chat-pins-more" },
                h("summary", {}, t("messages.pinCount", { count: pins.length })),
                h(
                  "ul",
                  {},
                  pins.map((p) => h("li", {}, h("button", { type: "button", class: "link-btn", onclick: () => jumpTo(p.id) }, `${personName(p.sender_id)}: ${messageText(p).slice(0, 80)}`))),
                ),
              )
            : null,
        ),
      );
    }
    clear(banner, parts);
    banner.hidden = !parts.length;
  }

  function renderTyping() {
    const ids = typingIn(convId);
    if (!ids.length) return (typing.textContent = "");
    const names = ids.map(personName);
    typing.textContent =
      names.length === 1
        ? t("messages.typingOne", { name: names[0] })
        : names.length === 2
          ? t("messages.typingTwo", { a: names[0], b: names[1] })
          : t("messages.typingMany");
  }

  // ---------- the log ----------

  const handlers = {
    onActions: (m, anchor) => openActions(m, anchor),
    onReceipts: (m) => showReceipts(m),
    onRetry: (m) => post(m),
    onQuote: (r) => jumpTo(r.id),
  };

  function messageEl(m) {
    const node = renderMessage(m, { conv: conv(), ...handlers });
    if (s.highlight && m.id === s.highlight) {
      node.classList.add("msg-highlight");
      node.setAttribute("data-highlighted", "true");
    }
    return node;
  }

  function unreadDivider() {
    return h("div", { class: "msg-unread-divider", role: "separator", "data-testid": "unread-divider" }, h("span", {}, t("messages.unreadBelow")));
  }

  function renderAll() {
    const nodes = [];
    if (s.hasBefore) nodes.push(h("p", { class: "log-edge", "data-testid": "loading-older" }, t("common.loading")));
    else if (s.msgs.length) nodes.push(h("p", { class: "log-edge" }, t("messages.startOfChat")));
    let prevDay = null;
    for (const m of [...s.msgs, ...s.pending]) {
      const day = dayKey(m.created_at);
      if (day !== prevDay) nodes.push(daySeparator(m));
      prevDay = day;
      if (s.firstUnread && m.seq === s.firstUnread && s.unreadAtOpen) nodes.push(unreadDivider());
      nodes.push(messageEl(m));
    }
    if (!nodes.length) nodes.push(h("p", { class: "empty", "data-testid": "chat-empty" }, t("messages.noMessagesYet")));
    clear(log, nodes);
  }

  function findEl(id) {
    return log.querySelector(`[data-message-id="${CSS.escape(id)}"]`);
  }

  function replaceMessage(m) {
    const old = findEl(m.id);
    if (!old) return;
    const hadFocus = old.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    const node = messageEl(m);
    old.replaceWith(node);
    if (hadFocus) node.querySelector(`[data-testid="${hadFocus}"]`)?.focus();
  }

  function atBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToBottom() {
    log.scrollTop = log.scrollHeight;
  }

  function addMessages(list) {
    for (const m of list) {
      if (s.byId.has(m.id)) continue;
      s.byId.set(m.id, m);
      s.msgs.push(m);
    }
    s.msgs.sort((a, b) => a.seq - b.seq);
  }

  function setWindow(page) {
    s.msgs = [];
    s.byId.clear();
    addMessages(page.items);
    s.hasBefore = page.has_before;
    s.hasAfter = page.has_after;
  }

  /** A live message at the end of the log (before our pending ones). */
  function appendLive(m) {
    const stick = atBottom();
    const prev = s.msgs[s.msgs.length - 1];
    addMessages([m]);
    const node = messageEl(m);
    const firstPending = s.pending.length ? findEl(s.pending[0].id) : null;
    const empty = log.querySelector("[data-testid=chat-empty]");
    if (empty) {
      renderAll();
    } else {
      if (!prev || dayKey(prev.created_at) !== dayKey(m.created_at)) log.insertBefore(daySeparator(m), firstPending);
      log.insertBefore(node, firstPending);
    }
    if (stick || m.sender_id === meId()) scrollToBottom();
    else jumpLatest.hidden = false;
    scheduleRead();
  }

  // ---------- loading ----------

  async function open() {
    clear(log, loading());
    const c = conv() || (await fetchConversation(convId));
    if (s.destroyed) return;
    if (!c) {
      clear(el, h("div", { class: "chat-missing" }, h("p", { class: "empty", "data-testid": "chat-not-found" }, t("messages.notFound")), h("button", { type: "button", class: "btn", onclick: onBack }, t("messages.back"))));
      return;
    }
    s.firstUnread = c.unread_count ? c.read_seq + 1 : null;
    s.unreadAtOpen = c.unread_count || 0;
    renderHead();
    renderBanner();
    composer.refresh();
    settingsButton.hidden = false;
    await loadSettings();
    try {
      const query = aroundId ? { around: aroundId, limit: PAGE } : { limit: PAGE };
      const [page] = await Promise.all([api.get(`/conversations/${convId}/messages`, query), c.kind === "direct" || isBigGroup(c) ? null : membersList()]);
      await ensurePeople(peopleIn(page.items));
      if (s.destroyed) return;
      setWindow(page);
      renderAll();
      if (aroundId && findEl(aroundId)) findEl(aroundId).scrollIntoView({ block: "center" });
      else scrollToBottom();
      updateJumpUnread();
      jumpLatest.hidden = !s.hasAfter;
      scheduleRead();
    } catch (error) {
      clear(log, h("p", { class: "notice notice-error" }, errorText(error)));
    }
    loadPins();
  }

  async function loadOlder() {
    if (s.busyOlder || !s.hasBefore || !s.msgs.length) return;
    s.busyOlder = true;
    try {
      const page = await api.get(`/conversations/${convId}/messages`, { before: s.msgs[0].seq, limit: PAGE });
      await ensurePeople(peopleIn(page.items));
      if (s.destroyed) return;
      const prevHeight = log.scrollHeight;
      const prevTop = log.scrollTop;
      addMessages(page.items);
      s.hasBefore = page.has_before;
      renderAll();
      log.scrollTop = log.scrollHeight - prevHeight + prevTop;
    } catch (error) {
      toast(errorText(error), { type: "error" });
    } finally {
      s.busyOlder = false;
    }
  }

  async function loadNewer() {
    if (s.busyNewer || !s.hasAfter || !s.msgs.length) return;
    s.busyNewer = true;
    try {
      const page = await api.get(`/conversations/${convId}/messages`, { after: s.msgs[s.msgs.length - 1].seq, limit: PAGE });
      await ensurePeople(peopleIn(page.items));
      if (s.destroyed) return;
      const top = log.scrollTop;
      addMessages(page.items);
      s.hasAfter = page.has_after;
      renderAll();
      log.scrollTop = top;
      jumpLatest.hidden = !s.hasAfter;
      scheduleRead();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    } finally {
      s.busyNewer = false;
    }
  }

  async function jumpTo(messageId) {
    closeMenu();
    s.highlight = messageId;
    log.querySelectorAll(".msg-highlight").forEach((n) => {
      n.classList.remove("msg-highlight");
      n.removeAttribute("data-highlighted");
    });
    let node = findEl(messageId);
    if (!node) {
      try {
        const page = await api.get(`/conversations/${convId}/messages`, { around: messageId, limit: PAGE });
        await ensurePeople(peopleIn(page.items));
        if (s.destroyed) return;
        setWindow(page);
        renderAll();
        jumpLatest.hidden = !s.hasAfter;
      } catch (error) {
        toast(errorText(error), { type: "error" });
        return;
      }
      node = findEl(messageId);
    } else {
      node.classList.add("msg-highlight");
      node.setAttribute("data-highlighted", "true");
    }
    node?.scrollIntoView({ block: "center" });
    scheduleRead();
  }

  async function jumpToLatest() {
    s.highlight = null;
    if (s.hasAfter) {
      const page = await api.get(`/conversations/${convId}/messages`, { limit: PAGE });
      await ensurePeople(peopleIn(page.items));
      setWindow(page);
      renderAll();
    }
    scrollToBottom();
    jumpLatest.hidden = true;
    scheduleRead();
  }

  function updateJumpUnread() {
    if (!s.firstUnread || !s.unreadAtOpen) return (jumpUnread.hidden = true);
    const divider = log.querySelector("[data-testid=unread-divider]");
    if (divider) {
      const box = log.getBoundingClientRect();
      const r = divider.getBoundingClientRect();
      if (r.top >= box.top - 4) return (jumpUnread.hidden = true);
    }
    jumpUnread.textContent = t("messages.jumpUnread", { count: s.unreadAtOpen });
    jumpUnread.hidden = false;
  }

  async function jumpToUnread() {
    jumpUnread.hidden = true;
    let divider = log.querySelector("[data-testid=unread-divider]");
    if (!divider) {
      try {
        const page = await api.get(`/conversations/${convId}/messages`, { after: s.firstUnread - 1, limit: PAGE });
        await ensurePeople(peopleIn(page.items));
        setWindow({ ...page, has_before: s.firstUnread > 1 });
        renderAll();
        jumpLatest.hidden = !s.hasAfter;
      } catch (error) {
        toast(errorText(error), { type: "error" });
        return;
      }
      divider = log.querySelector("[data-testid=unread-divider]");
    }
    divider?.scrollIntoView({ block: "start" });
    s.unreadAtOpen = 0;
  }

  // ---------- read pointer ----------

  function highestVisibleSeq() {
    const box = log.getBoundingClientRect();
    const nodes = log.querySelectorAll("[data-message-id][data-seq]");
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i];
      if (!n.dataset.seq) continue;
      const r = n.getBoundingClientRect();
      if (r.top < box.bottom && r.bottom > box.top) return Number(n.dataset.seq);
      if (r.bottom <= box.top) break;
    }
    return 0;
  }

  const scheduleRead = debounce(() => {
    if (s.destroyed || document.visibilityState !== "visible") return;
    const c = conv();
    if (!c) return;
    const seq = highestVisibleSeq();
    if (!seq || seq <= Math.max(c.read_seq, s.readSent)) return;
    s.readSent = seq;
    api
      .post(`/conversations/${convId}/read`, { seq })
      .then((r) => {
        const now = store.convs.get(convId);
        if (now && r) updateConversation({ ...now, read_seq: Math.max(now.read_seq, r.read_seq), unread_count: r.unread_count, mention_count: r.mention_count });
      })
      .catch(() => {
        s.readSent = 0;
      });
  }, 300);

  // ---------- sending ----------

  function send(draft) {
    const c = conv();
    const m = {
      id: `local-${newClientId()}`,
      conversation_id: convId,
      seq: null,
      sender_id: meId(),
      kind: "text",
      body: draft.body,
      client_msg_id: newClientId(),
      reply_to: draft.reply_to ? { id: draft.reply_to.id, seq: draft.reply_to.seq, sender_id: draft.reply_to.sender_id, body: draft.reply_to.body, recalled: false } : null,
      forwarded_from: null,
      mentions: draft.mentions,
      mentions_all: draft.mention_all,
      created_at: new Date().toISOString(),
      edited_at: null,
      recalled: false,
      pinned: false,
      receipt: null,
      pending: "sending",
    };
    s.pending.push(m);
    if (s.hasAfter) {
      jumpToLatest();
    } else {
      const empty = log.querySelector("[data-testid=chat-empty]");
      if (empty) renderAll();
      else {
        const last = s.pending[s.pending.length - 2] || s.msgs[s.msgs.length - 1];
        if (!last || dayKey(last.created_at) !== dayKey(m.created_at)) log.append(daySeparator(m));
        log.append(messageEl(m));
      }
      scrollToBottom();
    }
    if (c && c.unread_count) scheduleRead();
    post(m);
  }

  async function post(m) {
    m.pending = "sending";
    replaceMessage(m);
    try {
      const saved = await api.post(`/conversations/${convId}/messages`, {
        body: m.body,
        client_msg_id: m.client_msg_id,
        mentions: m.mentions,
        mention_all: m.mentions_all,
        reply_to_id: m.reply_to ? m.reply_to.id : null,
      });
      confirmPending(saved);
    } catch (error) {
      if (!s.pending.includes(m)) return;
      m.pending = "failed";
      replaceMessage(m);
      toast(errorText(error), { type: "error" });
    }
  }

  /** Our message came back (POST response or the stream): swap the pending copy for it. */
  function confirmPending(saved) {
    const i = s.pending.findIndex((p) => p.client_msg_id && p.client_msg_id === saved.client_msg_id);
    if (i < 0) {
      const existing = s.byId.get(saved.id);
      if (existing && saved.receipt && !existing.receipt) {
        existing.receipt = saved.receipt;
        replaceMessage(existing);
      }
      return false;
    }
    const [local] = s.pending.splice(i, 1);
    const node = findEl(local.id);
    if (s.byId.has(saved.id)) {
      node?.remove();
      return true;
    }
    s.byId.set(saved.id, saved);
    s.msgs.push(saved);
    s.msgs.sort((a, b) => a.seq - b.seq);
    if (node) node.replaceWith(messageEl(saved));
    return true;
  }

  /** Our file message, from the upload queue's POST (the stream may bring it too). */
  function acceptOwn(m) {
    if (s.destroyed || s.byId.has(m.id)) return;
    if (s.hasAfter) {
      jumpLatest.hidden = false;
      return;
    }
    appendLive(m);
  }

  // ---------- actions ----------

  function openActions(message, anchor) {
    const c = conv();
    if (!c) return;
    showActionsMenu(message, c, anchor, {
      reply: (m) => composer.setReply(m),
      forward: (m) => forwardMessage(m),
      copy: (m) => copyMessage(m),
      edit: async (m) => {
        const updated = await editMessage(m, isBigGroup(conv()) ? (body) => membersNamedIn(body) : s.members);
        if (updated) applyUpdate(updated);
      },
      recall: async (m) => {
        const updated = await recallMessage(m);
        if (updated) applyUpdate(updated);
      },
      pin: async (m) => {
        const updated = await setPinned(m, true);
        if (updated) {
          applyUpdate(updated);
          loadPins();
        }
      },
      unpin: async (m) => {
        const updated = await setPinned(m, false);
        if (updated) {
          applyUpdate(updated);
          loadPins();
        }
      },
      receipts: (m) => showReceipts(m),
    });
  }

  function applyUpdate(m) {
    const existing = s.byId.get(m.id);
    if (!existing) return;
    const merged = { ...m, receipt: m.receipt || existing.receipt };
    if (existing.sender_id !== meId()) merged.receipt = null;
    s.byId.set(m.id, merged);
    s.msgs[s.msgs.indexOf(existing)] = merged;
    replaceMessage(merged);
  }

  // ---------- live ----------

  async function onStore(kind, data) {
    if (s.destroyed) return;
    if (kind === "conv" && data.id === convId) {
      renderHead();
      renderBanner();
      composer.refresh();
      if (data.members) store.members.delete(convId);
    } else if (kind === "message" && data.message.conversation_id === convId) {
      const m = data.message;
      if (data.type === "message.sent") {
        if (m.sender_id === meId() && confirmPending(m)) return;
        if (s.byId.has(m.id) || s.hasAfter) {
          if (s.hasAfter) jumpLatest.hidden = false;
          return;
        }
        await ensurePeople(peopleIn([m]));
        if (s.byId.has(m.id) || s.destroyed) return;
        appendLive(m.sender_id === meId() ? m : { ...m, receipt: null });
        if (m.kind === "system") {
          store.members.delete(convId);
          loadPins();
        }
      } else {
        await ensurePeople(peopleIn([m]));
        applyUpdate(m);
        if (data.type !== "message.edited") loadPins();
      }
    } else if (kind === "read" && data.data.conversation_id === convId) {
      const e = data.data;
      for (const m of s.msgs) {
        if (m.sender_id !== meId() || !m.receipt) continue;
        if (m.seq > e.from_seq && m.seq <= e.to_seq && m.seq > e.reader_joined_seq) {
          m.receipt = { ...m.receipt, read: Math.min(m.receipt.expected, m.receipt.read + 1) };
          replaceMessage(m);
        }
      }
    } else if (kind === "typing" && data.id === convId) {
      renderTyping();
    } else if (kind === "removed" && data.id === convId) {
      onLeft && onLeft();
    }
  }

  const stop = subscribe(onStore);
  const onScroll = () => {
    closeMenu();
    if (log.scrollTop < 120) loadOlder();
    if (s.hasAfter && log.scrollHeight - log.scrollTop - log.clientHeight < 120) loadNewer();
    if (atBottom() && !s.hasAfter) jumpLatest.hidden = true;
    updateJumpUnread();
    scheduleRead();
  };
  log.addEventListener("scroll", onScroll, { passive: true });
  const onVisible = () => scheduleRead();
  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("focus", onVisible);

  open();

  return {
    el,
    jumpTo,
    focus: () => composer.focus(),
    destroy() {
      s.destroyed = true;
      stop();
      tray.destroy();
      closeMenu();
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("focus", onVisible);
    },
  };
}

/** Groups too big to load every member up front (the API filters by name instead). */
const BIG_GROUP = 500;

function isBigGroup(conv) {
  return Boolean(conv) && conv.kind !== "direct" && (conv.member_count || 0) > BIG_GROUP;
}
