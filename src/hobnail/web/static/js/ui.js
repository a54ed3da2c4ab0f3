// DOM helpers: element builder, form fields and errors, dialogs, toasts, formatting.

import { t, getLang, errorText } from "./i18n.js";
import { orgTimezone } from "./state.js";

/**
 * h("button", {class: "btn", onclick: fn, "data-testid": "x"}, "text", child...)
 * Strings become text nodes (never HTML). null/false children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "value") el.value = value;
    else if (key === "checked" || key === "selected" || key === "disabled" || key === "multiple") el[key] = !!value;
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let idCounter = 0;
export function uid(prefix = "f") {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// ---------- form fields ----------

/**
 * A labelled control with a slot for its error message.
 * opts: {label, name, type, value, required, autocomplete, hint, testid, options:[{value,label}], attrs}
 */
export function field(opts) {
  const id = uid(opts.name || "field");
  const errorId = `${id}-error`;
  const hintId = opts.hint ? `${id}-hint` : null;
  const common = {
    id,
    name: opts.name,
    required: opts.required || null,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" "),
    "data-testid": opts.testid,
    ...(opts.attrs || {}),
  };
  let control;
  if (opts.type === "select") {
    control = h(
      "select",
      common,
      (opts.options || []).map((o) => h("option", { value: o.value, selected: String(o.value) === String(opts.value ?? "") }, o.label)),
    );
  } else if (opts.type === "textarea") {
    control = h("textarea", common);
    control.value = opts.value ?? "";
  } else {
    control = h("input", { type: opts.type || "text", autocomplete: opts.autocomplete, ...common });
    if (opts.value !== undefined && opts.value !== null) control.value = opts.value;
  }
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, opts.label, opts.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    control,
    opts.hint ? h("p", { class: "hint", id: hintId }, opts.hint) : null,
    h("p", { class: "field-error", id: errorId }),
  );
}

export function checkbox({ label, name, checked, testid, onchange }) {
  const id = uid(name || "cb");
  return h(
    "div",
    { class: "check" },
    h("input", { type: "checkbox", id, name, checked, "data-testid": testid, onchange }),
    h("label", { for: id }, label),
  );
}

/** The form-level error box (role=alert); put one in every form. */
export function formError() {
  return h("div", { class: "form-error", role: "alert", "data-testid": "form-error", hidden: true });
}

export function clearErrors(form) {
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  form.querySelectorAll(".field-error").forEach((el) => (el.textContent = ""));
  const box = form.querySelector(".form-error");
  if (box) {
    box.hidden = true;
    box.replaceChildren();
  }
}

/** Show an ApiError next to the field it names, else in the form's error box. */
export function showError(form, error, { extra } = {}) {
  clearErrors(form);
  const text = errorText(error);
  const name = error && error.field;
  const control = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
  if (control) {
    control.setAttribute("aria-invalid", "true");
    const slot = control.closest(".field")?.querySelector(".field-error");
    if (slot) {
      slot.textContent = text;
      control.focus();
      return;
    }
  }
  const box = form.querySelector(".form-error");
  if (box) {
    box.hidden = false;
    box.replaceChildren(text);
    if (extra) box.append(extra);
  } else {
    toast(text, { type: "error" });
  }
}

export function formValues(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === "checkbox") {
      if (el.dataset.multi) {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else values[el.name] = el.checked;
    } else if (el.type === "file") values[el.name] = el.files;
    else values[el.name] = el.value.trim();
  }
  return values;
}

/** Disable a form's submit button while fn runs. */
export async function busy(form, fn) {
  const buttons = form.querySelectorAll("button[type=submit]");
  buttons.forEach((b) => {
    b.disabled = true;
    b.setAttribute("aria-busy", "true");
  });
  try {
    return await fn();
  } finally {
    buttons.forEach((b) => {
      b.disabled = false;
      b.removeAttribute("aria-busy");
    });
  }
}

// ---------- toasts ----------

export function toast(message, { type = "info", timeout = 5000 } = {}) {
  const region = document.getElementById("toasts");
  if (!region) return;
  const item = h(
    "div",
    { class: `toast toast-${type}`, "data-testid": "toast" },
    h("span", {}, message),
    h("button", { type: "button", class: "toast-close", "aria-label": t("common.close"), onclick: () => item.remove() }, "×"),
  );
  region.append(item);
  setTimeout(() => item.remove(), timeout);
}

// ---------- dialogs ----------

/**
 * Modal dialog. content: Node or (close) => Node. Returns {el, close, closed: Promise}.
 * Escape, the close button and close(value) all resolve `closed`.
 */
export function dialog({ title, content, testid, wide = false }) {
  const previous = document.activeElement;
  const titleId = uid("dlg-title");
  let resolve;
  const closed = new Promise((r) => (resolve = r));
  const el = h("dialog", {
    class: `dialog${wide ? " dialog-wide" : ""}`,
    role: "dialog",
    "aria-modal": "true",
    "aria-labelledby": titleId,
    "data-testid": testid,
  });
  let result;
  const close = (value) => {
    result = value;
    if (el.open) el.close();
  };
  el.addEventListener("close", () => {
    el.remove();
    if (previous && previous.focus) previous.focus();
    resolve(result);
  });
  const body = typeof content === "function" ? content(close) : content;
  el.append(
    h(
      "div",
      { class: "dialog-head" },
      h("h2", { id: titleId }, title),
      h("button", { type: "button", class: "icon-btn", "aria-label": t("common.close"), "data-testid": "dialog-close", onclick: () => close() }, "×"),
    ),
    h("div", { class: "dialog-body" }, body),
  );
  document.body.append(el);
  el.showModal();
  const first = el.querySelector(".dialog-body input, .dialog-body select, .dialog-body textarea, .dialog-body button");
  if (first) first.focus();
  return { el, close, closed };
}

export function confirmDialog({ title, message, confirmLabel, danger = false }) {
  const d = dialog({
    title,
    testid: "confirm-dialog",
    content: (close) =>
      h(
        "div",
        {},
        h("p", {}, message),
        h(
          "div",
          { class: "actions" },
          h("button", { type: "button", class: "btn", "data-testid": "confirm-cancel", onclick: () => close(false) }, t("common.cancel")),
          h(
            "button",
            { type: "button", class: `btn ${danger ? "btn-danger" : "btn-primary"}`, "data-testid": "confirm-ok", onclick: () => close(true) },
            confirmLabel || t("common.ok"),
          ),
        ),
      ),
  });
  return d.closed.then((v) => v === true);
}

// ---------- clipboard ----------

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = h("textarea", { "aria-hidden": "true", style: "position:fixed;opacity:0" });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  toast(t("common.copied"), { type: "success" });
}

/** A read-only value with a copy button: for links, codes, passwords, tokens. */
export function copyField({ label, value, testid }) {
  const id = uid("copy");
  return h(
    "div",
    { class: "field copy-field" },
    h("label", { for: id }, label),
    h(
      "div",
      { class: "copy-row" },
      h("input", { id, type: "text", readonly: true, value, "data-testid": testid, onfocus: (e) => e.target.select() }),
      h("button", { type: "button", class: "btn", "data-testid": testid ? `${testid}-copy` : null, "aria-label": `${t("common.copy")}: ${label}`, onclick: () => copyText(value) }, t("common.copy")),
    ),
  );
}

// ---------- formatting ----------

export function formatDateTime(iso, { dateOnly = false } = {}) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options = dateOnly ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" };
  try {
    return new Intl.DateTimeFormat(getLang(), { ...options, timeZone: orgTimezone() }).format(date);
  } catch {
    return new Intl.DateTimeFormat(getLang(), options).format(date);
  }
}

const PALETTE = ["#1677ff", "#0e7c66", "#c2410c", "#7c3aed", "#be185d", "#0369a1", "#4d7c0f", "#b45309"];

export function initials(name) {
  const text = (name || "?").trim();
  if (/[\u3400-\u9fff]/.test(text)) return text.replace(/\s+/g, "").slice(-2);
  const words = text.split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] || "?") + (words[1]?.[0] || "")).toUpperCase();
}

export function avatar(person, size = "md") {
  if (person.avatar_url) {
    return h("img", { class: `avatar avatar-${size}`, src: person.avatar_url, alt: "", loading: "lazy" });
  }
  let hash = 0;
  for (const ch of person.id || person.name || "") hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return h(
    "span",
    { class: `avatar avatar-${size}`, style: `background:${PALETTE[hash % PALETTE.length]}`, "aria-hidden": "true" },
    initials(person.name),
  );
}

export function roleLabel(role) {
  return t(`role.${role || "member"}`);
}

export function emptyState(text, testid) {
  return h("p", { class: "empty", "data-testid": testid }, text);
}

export function loading() {
  return h("p", { class: "loading", role: "status" }, t("common.loading"));
}

export function debounce(fn, ms = 250) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export function pageHeader(title, ...actions) {
  return h("div", { class: "page-head" }, h("h1", {}, title), actions.length ? h("div", { class: "page-actions" }, actions) : null);
}

export function card(...children) {
  return h("section", { class: "card" }, children);
}
