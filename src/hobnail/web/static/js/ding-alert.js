// The DING alert, on every page: unconfirmed DINGs (GET /dings/received on sign-in, then
// ding.received from the event stream) queue up and show one at a time in a modal
// alertdialog with a beep, the text and its attachment (Open / Download, so the plan can be
// read first), a big 收到 / Confirm button and a reply box. ding.confirmed (e.g.
// from another device) closes it; ding.recalled closes it with a note. "Later" hides the alert
// for this page load; the DING stays unconfirmed (nav badge, DING page). install() from main.js.

import { api } from "./api.js";
import * as events from "./events.js";
import { t, errorText } from "./i18n.js";
import { onSessionChange, onShellBuilt } from "./app.js";
import { org } from "./state.js";
import { h, clear, toast, avatar, formatDateTime, uid } from "./ui.js";
import { icon } from "./icons.js";
import { dingFile } from "./pages/ding/attachment.js";

const pending = new Map(); // ding id → DingOut (unconfirmed, sent, not recalled), in arrival order
const snoozed = new Set(); // hidden with "Later" on this page load
const delivered = new Set(); // POST /delivered done
const listeners = new Set();
let current = null; // {id, el, setNote(text), close()}
let nav = null;
let generation = 0;

/** fn() whenever the set of unconfirmed DINGs changes (DING page, badge). */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed() {
  updateBadge();
  for (const fn of listeners) {
    try {
      fn();
    } catch (e) {
      console.error(e);
    }
  }
}

export function unconfirmedCount() {
  return pending.size;
}

// ---------- sound ----------

let audio = null;
let interacted = false;
for (const type of ["pointerdown", "keydown"]) addEventListener(type, () => (interacted = true), { capture: true, passive: true });

function mayPlay() {
  if (navigator.userActivation) return navigator.userActivation.hasBeenActive;
  return interacted;
}

/** Two short beeps from an oscillator; browsers allow audio only after the user has interacted. */
function beep() {
  if (!mayPlay()) return;
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    audio = audio || new Ctx();
    if (audio.state === "suspended") audio.resume().catch(() => {});
    const start = audio.currentTime + 0.02;
    for (const offset of [0, 0.28]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.22);
    }
  } catch {
    /* no audio: the alert is still on screen */
  }
}

// ---------- browser notification (tab in the background) ----------

function notifyBrowser(ding) {
  if (typeof window.Notification !== "function" || Notification.permission !== "granted" || !document.hidden) return;
  try {
    const body = ding.file ? `${ding.body}\n${t("ding.attachmentNamed", { name: ding.file.name })}` : ding.body;
    const n = new Notification(t("ding.alertFrom", { name: ding.sender?.name || "" }), { body, tag: `ding-${ding.id}`, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    /* some browsers only allow notifications from a service worker */
  }
}

// ---------- nav badge ----------

function updateBadge() {
  const link = nav && nav.querySelector("[data-testid=nav-ding]");
  if (!link) return;
  let badge = link.querySelector("[data-testid=ding-badge]");
  if (!badge) {
    badge = h("span", { class: "badge", "data-testid": "ding-badge", hidden: true });
    link.append(badge);
  }
  const n = pending.size;
  badge.hidden = !n;
  badge.replaceChildren(h("span", { "aria-hidden": "true" }, n > 99 ? "99+" : String(n)), h("span", { class: "sr-only" }, t("ding.unconfirmedTotal", { count: n })));
}

// ---------- the queue ----------

function add(ding, { reminder = false } = {}) {
  if (!ding || ding.status !== "sent" || ding.confirmed_at || ding.recalled_at) return;
  const had = pending.has(ding.id);
  pending.set(ding.id, { ...(pending.get(ding.id) || {}), ...ding });
  if (reminder) snoozed.delete(ding.id);
  if (!had || reminder) changed();
  if (current && current.id === ding.id) {
    if (reminder) {
      beep();
      notifyBrowser(ding);
    }
    return;
  }
  showNext();
}

/** The DING was confirmed (here, on the DING page or on another device). */
export function markConfirmed(id) {
  const was = pending.delete(id);
  snoozed.delete(id);
  if (current && current.id === id) {
    current.close();
    showNext();
  }
  if (was) changed();
}

function recalled(id) {
  const was = pending.delete(id);
  snoozed.delete(id);
  if (current && current.id === id) current.setRecalled();
  if (was) changed();
}

function nextId() {
  for (const id of pending.keys()) if (!snoozed.has(id)) return id;
  return null;
}

function showNext() {
  if (current) return;
  const id = nextId();
  if (id) open(pending.get(id));
}

function open(ding) {
  const gen = generation;
  const titleId = uid("ding-alert-title");
  const bodyId = uid("ding-alert-body");
  const replyId = uid("ding-alert-reply");
  const waiting = () => [...pending.keys()].filter((x) => !snoozed.has(x)).length;
  const count = h("p", { class: "ding-alert-count", "data-testid": "ding-alert-count", "aria-live": "polite" });
  const attachment = ding.file ? h("div", { class: "ding-alert-file" }, dingFile(ding.file)) : null;
  const note = h("p", { class: "notice ding-alert-note", role: "status", "data-testid": "ding-alert-note", hidden: true });
  const confirmBtn = h("button", { type: "button", class: "btn btn-primary ding-confirm-btn", "data-testid": "ding-alert-confirm" }, t("ding.confirm"));
  const laterBtn = h("button", { type: "button", class: "btn", "data-testid": "ding-alert-later" }, t("ding.later"));
  const replyInput = h("textarea", { id: replyId, name: "reply", rows: 2, maxlength: 10000, "data-testid": "ding-alert-reply", placeholder: t("ding.replyPlaceholder") });
  const replyBtn = h("button", { type: "submit", class: "btn btn-small", "data-testid": "ding-alert-reply-send" }, t("ding.sendReply"));
  const replyForm = h(
    "form",
    { class: "ding-alert-reply", novalidate: true },
    h("label", { for: replyId, class: "sr-only" }, t("ding.reply")),
    replyInput,
    replyBtn,
  );
  const meta = h(
    "p",
    { class: "ding-alert-meta muted small" },
    h("time", { datetime: ding.sent_at || "" }, formatDateTime(ding.sent_at)),
    ding.critical ? h("span", { class: "tag tag-danger" }, t("ding.critical")) : null,
    ding.reminder ? h("span", { class: "tag" }, t("ding.reminderTag")) : null,
  );
  const el = h(
    "dialog",
    {
      class: "dialog ding-alert",
      role: "alertdialog",
      "aria-modal": "true",
      "aria-labelledby": titleId,
      "aria-describedby": bodyId,
      "data-testid": "ding-alert",
      "data-ding-id": ding.id,
    },
    h(
      "div",
      { class: "ding-alert-head" },
      h("span", { class: "ding-alert-icon", "aria-hidden": "true" }, icon("ding", 26)),
      avatar(ding.sender || { name: "?" }, "md"),
      h("div", { class: "ding-alert-who" }, h("h2", { id: titleId, "data-testid": "ding-alert-title" }, t("ding.alertFrom", { name: ding.sender?.name || "" })), meta),
      count,
    ),
    h("div", { class: "ding-alert-text", id: bodyId, dir: "auto", "data-testid": "ding-alert-body" }, ding.body),
    attachment,
    note,
    replyForm,
    h("div", { class: "ding-alert-actions" }, laterBtn, confirmBtn),
  );
  const previous = document.activeElement;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (current && current.id === ding.id) current = null;
    if (el.open) el.close();
    el.remove();
    if (previous && previous.isConnected && previous.focus && !document.querySelector("dialog[open]")) previous.focus();
  };
  const renderCount = () => {
    const n = waiting();
    count.hidden = n < 2;
    count.textContent = t("ding.alertQueue", { count: n });
  };
  current = {
    id: ding.id,
    el,
    close,
    setRecalled: () => {
      note.hidden = false;
      note.textContent = t("ding.recalledNote");
      clear(el.querySelector("[data-testid=ding-alert-body]"));
      attachment?.remove();
      replyForm.remove();
      laterBtn.remove();
      confirmBtn.textContent = t("common.close");
      confirmBtn.setAttribute("data-testid", "ding-alert-close");
      confirmBtn.focus();
    },
  };
  const stopCount = subscribe(renderCount);
  el.addEventListener("close", () => {
    stopCount();
    close();
  });
  // Escape = Later: the DING stays unconfirmed.
  el.addEventListener("cancel", (e) => {
    e.preventDefault();
    later();
  });
  function later() {
    if (pending.has(ding.id)) snoozed.add(ding.id);
    close();
    changed();
    showNext();
  }
  laterBtn.addEventListener("click", later);
  confirmBtn.addEventListener("click", async () => {
    if (confirmBtn.dataset.testid === "ding-alert-close") {
      close();
      showNext();
      return;
    }
    confirmBtn.disabled = true;
    confirmBtn.setAttribute("aria-busy", "true");
    try {
      await api.post(`/dings/${encodeURIComponent(ding.id)}/confirm`);
      if (gen !== generation) return;
      toast(t("ding.confirmedToast"), { type: "success" });
      markConfirmed(ding.id);
    } catch (error) {
      confirmBtn.disabled = false;
      confirmBtn.removeAttribute("aria-busy");
      if (error.code === "ding_recalled") recalled(ding.id);
      else if (error.code === "ding_not_found") markConfirmed(ding.id);
      else toast(errorText(error), { type: "error" });
    }
  });
  replyForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = replyInput.value.trim();
    if (!body) return replyInput.focus();
    replyBtn.disabled = true;
    try {
      await api.post(`/dings/${encodeURIComponent(ding.id)}/replies`, { body });
      replyInput.value = "";
      toast(t("ding.replySent"), { type: "success" });
    } catch (error) {
      toast(errorText(error), { type: "error" });
    } finally {
      replyBtn.disabled = false;
    }
  });
  replyInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      replyForm.requestSubmit();
    }
  });
  renderCount();
  document.body.append(el);
  el.showModal();
  confirmBtn.focus();
  beep();
  notifyBrowser(ding);
  if (!delivered.has(ding.id)) {
    delivered.add(ding.id);
    api.post(`/dings/${encodeURIComponent(ding.id)}/delivered`).catch(() => delivered.delete(ding.id));
  }
}

// ---------- loading and live events ----------

async function load() {
  const gen = generation;
  try {
    const list = await api.get("/dings/received");
    if (gen !== generation) return;
    const fresh = new Set();
    for (const d of list) {
      if (d.status === "sent" && !d.confirmed_at && !d.recalled_at) fresh.add(d.id);
    }
    for (const id of [...pending.keys()]) if (!fresh.has(id)) markConfirmed(id);
    // Oldest first in the queue; the list is newest first.
    for (const d of [...list].reverse()) add(d);
    changed();
  } catch {
    /* the badge stays as it was; the DING page shows the error */
  }
}

function reset() {
  generation += 1;
  pending.clear();
  snoozed.clear();
  if (current) current.close();
  current = null;
  changed();
}

export function install() {
  events.on("ding.received", (event) => {
    const ding = event.data?.ding;
    if (ding) add(ding, { reminder: !!ding.reminder });
  });
  events.on("ding.confirmed", (event) => {
    const id = event.data?.ding_id;
    if (id) markConfirmed(id);
  });
  events.on("ding.recalled", (event) => {
    const id = event.data?.ding_id;
    if (id) recalled(id);
  });
  events.on("stream.resync", () => {
    if (org()) load();
  });
  onSessionChange((session) => {
    reset();
    if (session && org()) load();
  });
  onShellBuilt((n) => {
    nav = n;
    updateBadge();
  });
}
