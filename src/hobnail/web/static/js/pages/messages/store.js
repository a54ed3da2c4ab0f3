// Messaging state shared by the Messages page and the shell: the conversation list with unread
// counts (kept live from the event stream), a cache of people's names, typing indicators,
// the nav badge and browser notifications. install() is called once from main.js.

import { api } from "../../api.js";
import { t } from "../../i18n.js";
import * as events from "../../events.js";
import { onSessionChange, onShellBuilt } from "../../app.js";
import { user, org } from "../../state.js";
import { h } from "../../ui.js";
import { previewText } from "./text.js";

export const store = {
  loaded: false,
  convs: new Map(), // id → ConversationOut
  order: [], // server order (tie-break for chats without messages)
  settings: null, // GET /messaging/settings (read receipts, edit window …)
  people: new Map(), // user id → {id, name, avatar_url}
  members: new Map(), // conversation id → [MemberOut] (cached while a chat is open)
  typing: new Map(), // conversation id → Map(user id → expiry ms)
  openId: null, // the chat shown on screen, if any
};

const listeners = new Set();
let loading = null;
let nav = null;
let generation = 0;

export function meId() {
  return user()?.id || null;
}

/** fn(kind, data): "list" | "conv" {id} | "message" {type, message} | "read" {data} | "typing" {id} | "removed" {id}. */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify(kind, data) {
  for (const fn of listeners) {
    try {
      fn(kind, data);
    } catch (e) {
      console.error(e);
    }
  }
}

// ---------- people ----------

export function rememberPeople(list) {
  for (const p of list || []) {
    const id = p.id || p.user_id;
    if (id && p.name) store.people.set(id, { id, name: p.name, avatar_url: p.avatar_url || null });
  }
}

export function personName(id) {
  if (!id) return "";
  if (id === meId()) return user().name;
  return store.people.get(id)?.name || t("messages.someone");
}

const pendingPeople = new Map();

/** Make sure the names of these user ids are known (directory look-ups, cached). */
export async function ensurePeople(ids) {
  const wanted = [...new Set(ids)].filter((id) => id && id !== meId() && !store.people.has(id));
  await Promise.all(
    wanted.map((id) => {
      if (!pendingPeople.has(id)) {
        pendingPeople.set(
          id,
          api
            .get(`/members/${encodeURIComponent(id)}`)
            .then((m) => rememberPeople([m]))
            .catch(() => store.people.set(id, { id, name: t("messages.someone"), avatar_url: null }))
            .finally(() => pendingPeople.delete(id)),
        );
      }
      return pendingPeople.get(id);
    }),
  );
}

export async function loadMembers(conversationId, { force = false } = {}) {
  if (!force && store.members.has(conversationId)) return store.members.get(conversationId);
  const list = await api.get(`/conversations/${encodeURIComponent(conversationId)}/members`);
  rememberPeople(list);
  store.members.set(conversationId, list);
  return list;
}

// ---------- conversations ----------

export function conversationTitle(conv) {
  if (!conv) return "";
  if (conv.kind === "direct") return conv.peer?.name || conv.name || t("messages.someone");
  return conv.name;
}

export function sortedConversations() {
  const index = new Map(store.order.map((id, i) => [id, i]));
  return [...store.convs.values()].sort((a, b) => {
    const ta = a.last_message_at ? Date.parse(a.last_message_at) : 0;
    const tb = b.last_message_at ? Date.parse(b.last_message_at) : 0;
    if (ta !== tb) return tb - ta;
    return (index.get(a.id) ?? 1e9) - (index.get(b.id) ?? 1e9);
  });
}

export function totalUnread() {
  let n = 0;
  for (const c of store.convs.values()) if (!c.muted) n += c.unread_count || 0;
  return n;
}

function putConversation(conv) {
  if (conv.peer) rememberPeople([conv.peer]);
  const old = store.convs.get(conv.id);
  store.convs.set(conv.id, old ? { ...old, ...conv } : conv);
  if (!store.order.includes(conv.id)) store.order.unshift(conv.id);
}

export function updateConversation(conv) {
  putConversation(conv);
  notify("conv", { id: conv.id });
  updateNavBadge();
}

export async function loadConversations() {
  const gen = generation;
  const list = await api.get("/conversations");
  if (gen !== generation) return;
  store.convs.clear();
  store.order = list.items.map((c) => c.id);
  list.items.forEach(putConversation);
  store.loaded = true;
  notify("list");
  updateNavBadge();
}

export function ensureLoaded() {
  if (store.loaded) return Promise.resolve();
  if (!loading) loading = loadConversations().finally(() => (loading = null));
  return loading;
}

export async function fetchConversation(id) {
  try {
    const conv = await api.get(`/conversations/${encodeURIComponent(id)}`);
    updateConversation(conv);
    return conv;
  } catch (error) {
    if (error.status === 404) dropConversation(id);
    return null;
  }
}

function dropConversation(id) {
  if (!store.convs.has(id)) return;
  store.convs.delete(id);
  store.members.delete(id);
  store.order = store.order.filter((x) => x !== id);
  notify("removed", { id });
  notify("list");
  updateNavBadge();
}

export async function loadSettings() {
  if (store.settings) return store.settings;
  try {
    store.settings = await api.get("/messaging/settings");
  } catch {
    store.settings = { read_receipts: true, edit_window_minutes: 1440, max_group_members: 3000, max_message_chars: 10000 };
  }
  return store.settings;
}

// ---------- nav badge ----------

export function updateNavBadge() {
  const link = nav && nav.querySelector("[data-testid=nav-messages]");
  if (!link) return;
  let badge = link.querySelector("[data-testid=messages-badge]");
  if (!badge) {
    badge = h("span", { class: "badge", "data-testid": "messages-badge", hidden: true });
    link.append(badge);
  }
  const n = totalUnread();
  badge.hidden = !n;
  badge.replaceChildren(h("span", { "aria-hidden": "true" }, n > 99 ? "99+" : String(n)), h("span", { class: "sr-only" }, t("messages.unreadTotal", { count: n })));
}

// ---------- notifications ----------

export function notificationsSupported() {
  return typeof window.Notification === "function";
}

function notifyBrowser(conv, message) {
  if (!notificationsSupported() || Notification.permission !== "granted") return;
  if (!document.hidden || conv.muted) return;
  try {
    const title = conversationTitle(conv);
    const text = previewText(message, conv, { withSender: conv.kind !== "direct" });
    const n = new Notification(title, { body: text, tag: `conv-${conv.id}` });
    n.onclick = () => {
      window.focus();
      history.pushState(null, "", `/messages/${conv.id}`);
      dispatchEvent(new PopStateEvent("popstate"));
      n.close();
    };
  } catch {
    /* some browsers only allow notifications from a service worker */
  }
}

// ---------- live events ----------

function mentionsMe(message) {
  return message.mentions_all || (message.mentions || []).includes(meId());
}

function onMessage(type, event) {
  const message = event.data?.message;
  if (!message) return;
  const conv = store.convs.get(message.conversation_id);
  if (!conv) {
    if (store.loaded && type === "message.sent") fetchConversation(message.conversation_id);
    return;
  }
  if (type === "message.sent") {
    const fromOther = message.sender_id !== meId() && message.kind !== "system";
    const next = { ...conv, last_message: message, last_seq: Math.max(conv.last_seq, message.seq), last_message_at: message.created_at };
    if (fromOther && message.seq > conv.read_seq) {
      next.unread_count = (conv.unread_count || 0) + 1;
      if (mentionsMe(message)) next.mention_count = (conv.mention_count || 0) + 1;
    }
    // Sending means having read the chat up to one's own message (the server moves the
    // pointer; a conversation.read_state follows only if other messages were unread).
    if (message.sender_id === meId()) next.read_seq = Math.max(conv.read_seq, message.seq);
    store.convs.set(conv.id, next);
    if (fromOther) notifyBrowser(next, message);
  } else if (conv.last_message && conv.last_message.id === message.id) {
    store.convs.set(conv.id, { ...conv, last_message: { ...message, receipt: conv.last_message.receipt } });
  }
  notify("message", { type, message });
  notify("conv", { id: conv.id });
  updateNavBadge();
}

function wire() {
  for (const type of ["message.sent", "message.edited", "message.recalled", "message.pinned", "message.unpinned"]) {
    events.on(type, (event) => onMessage(type, event));
  }
  events.on("conversation.read_state", (event) => {
    const d = event.data || {};
    const conv = store.convs.get(d.conversation_id);
    if (!conv) return;
    store.convs.set(conv.id, {
      ...conv,
      read_seq: Math.max(conv.read_seq, d.read_seq),
      unread_count: d.unread_count,
      mention_count: d.mention_count,
      muted: d.muted,
    });
    notify("conv", { id: conv.id });
    updateNavBadge();
  });
  events.on("message.read", (event) => notify("read", { data: event.data || {} }));
  events.on("conversation.created", (event) => {
    const id = event.data?.conversation_id;
    if (id && store.loaded && !store.convs.has(id)) fetchConversation(id);
  });
  events.on("conversation.updated", (event) => {
    const d = event.data || {};
    const conv = store.convs.get(d.conversation_id);
    if (!conv) return;
    store.convs.set(conv.id, { ...conv, ...(d.changes || {}) });
    notify("conv", { id: conv.id });
    updateNavBadge();
  });
  events.on("conversation.members_added", (event) => {
    const d = event.data || {};
    store.members.delete(d.conversation_id);
    const conv = store.convs.get(d.conversation_id);
    if (!conv) {
      if (store.loaded && (d.user_ids || []).includes(meId())) fetchConversation(d.conversation_id);
      return;
    }
    store.convs.set(conv.id, { ...conv, member_count: d.member_count ?? conv.member_count });
    notify("conv", { id: conv.id, members: true });
  });
  events.on("conversation.members_removed", (event) => {
    const d = event.data || {};
    store.members.delete(d.conversation_id);
    if ((d.user_ids || []).includes(meId())) return dropConversation(d.conversation_id);
    const conv = store.convs.get(d.conversation_id);
    if (!conv) return;
    store.convs.set(conv.id, { ...conv, member_count: d.member_count ?? conv.member_count });
    notify("conv", { id: conv.id, members: true });
  });
  events.on("conversation.member_role_changed", (event) => {
    const d = event.data || {};
    store.members.delete(d.conversation_id);
    const conv = store.convs.get(d.conversation_id);
    if (!conv) return;
    if (d.user_id === meId()) {
      // A transfer changes the owner too: refetch to get owner_id and my_role right.
      fetchConversation(conv.id);
    }
    notify("conv", { id: conv.id, members: true });
  });
  events.on("conversation.dissolved", (event) => {
    const id = event.data?.conversation_id;
    const conv = store.convs.get(id);
    if (!conv) return;
    store.convs.set(id, { ...conv, dissolved: true });
    notify("conv", { id });
  });
  events.on("typing", (event) => {
    const d = event.data || event;
    if (!d.conversation_id || d.user_id === meId()) return;
    if (!store.typing.has(d.conversation_id)) store.typing.set(d.conversation_id, new Map());
    store.typing.get(d.conversation_id).set(d.user_id, Date.now() + 5000);
    notify("typing", { id: d.conversation_id });
    setTimeout(() => notify("typing", { id: d.conversation_id }), 5100);
  });
  events.on("stream.resync", () => {
    if (store.loaded) loadConversations().catch(() => {});
  });
}

/** Who is typing in a chat right now (user ids). */
export function typingIn(conversationId) {
  const map = store.typing.get(conversationId);
  if (!map) return [];
  const now = Date.now();
  for (const [id, until] of map) if (until < now) map.delete(id);
  return [...map.keys()];
}

function reset() {
  generation += 1;
  store.loaded = false;
  store.convs.clear();
  store.order = [];
  store.settings = null;
  store.people.clear();
  store.members.clear();
  store.typing.clear();
  store.openId = null;
  loading = null;
}

export function install() {
  wire();
  onSessionChange((session) => {
    reset();
    if (session && org()) ensureLoaded().catch(() => {});
  });
  onShellBuilt((n) => {
    nav = n;
    updateNavBadge();
  });
}
