// Fields of work reports, after the approvals' renderer (pages/approvals/fields.js): an
// input per field type with an initial value (drafts, edits) → {el, key, value(), busy()},
// and read-only views. Attachments and images hold several files: each goes through the
// tus upload picker of DINGs, and a new empty picker appears once the last one finished.
// Every input carries name=<field key>, so showError() puts a server error next to it.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, field as uiField, uid } from "../../ui.js";
import { attachmentPicker, dingFile } from "../ding/attachment.js";
import { valueView as approvalValueView } from "../approvals/fields.js";
import { fieldLabel } from "./common.js";

function wrapper(label, required, help, ...content) {
  const id = uid("fs");
  return h(
    "fieldset",
    { class: "field approval-fieldset", "aria-describedby": `${id}-error` },
    h("legend", {}, label, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    content,
    help ? h("p", { class: "hint" }, help) : null,
    h("p", { class: "field-error", id: `${id}-error` }),
  );
}

/** Files already on the report, as cards with a Remove button (the file itself stays). */
function keptFiles(ids, onRemove) {
  const box = h("ul", { class: "rpt-files", "data-testid": "report-kept-files" });
  const draw = () =>
    clear(
      box,
      ids.map((id) =>
        h(
          "li",
          { "data-file-id": id },
          h("span", { class: "rpt-file-slot" }, t("common.loading")),
          h("button", { type: "button", class: "btn btn-small", "data-testid": "report-file-remove", onclick: () => (ids.splice(ids.indexOf(id), 1), onRemove(), draw()) }, t("reports.removeFile")),
        ),
      ),
    );
  draw();
  for (const id of [...ids]) {
    api
      .get(`/files/${encodeURIComponent(id)}`)
      .then((file) => box.querySelector(`[data-file-id="${CSS.escape(id)}"] .rpt-file-slot`)?.replaceWith(dingFile(file, { compact: true })))
      .catch(() => {});
  }
  return box;
}

function filesInput(f, label, initial, testid) {
  const kept = Array.isArray(initial) ? [...initial] : [];
  const pickers = [];
  const list = h("div", { class: "rpt-pickers", "data-testid": `${testid}-pickers` });
  function add() {
    const picker = attachmentPicker({ onChange: () => changed(picker) });
    picker.el.querySelector("legend")?.classList.add("sr-only"); // the field's own legend names it
    const input = picker.el.querySelector("input[type=file]");
    if (input) {
      input.name = f.key;
      if (f.type === "image") input.accept = "image/*";
    }
    pickers.push(picker);
    list.append(picker.el);
  }
  function changed(picker) {
    const last = pickers[pickers.length - 1];
    if (picker === last && picker.state() === "done" && pickers.length < 20) add();
    if (picker !== last && picker.state() === "none") {
      pickers.splice(pickers.indexOf(picker), 1);
      picker.el.remove();
    }
  }
  add();
  const el = wrapper(label, f.required, f.help, kept.length ? keptFiles(kept, () => {}) : null, list);
  el.setAttribute("data-testid", testid);
  return {
    el,
    value: () => {
      const ids = [...kept, ...pickers.filter((p) => p.state() === "done" && p.fileId()).map((p) => p.fileId())];
      return ids.length ? ids : null;
    },
    busy: () => pickers.some((p) => p.state() === "uploading"),
  };
}

/**
 * An input for one field. ctx: {builtin, values (initial)}.
 * Returns {el, key, value() → the value to send (null when empty), busy() → true while uploading}.
 */
export function fieldInput(f, ctx) {
  const label = fieldLabel(f, ctx.builtin);
  const testid = `report-field-${f.key}`;
  const initial = ctx.values?.[f.key];
  const common = { label, name: f.key, required: f.required, hint: f.help || null, testid };
  let el;
  let value;
  let busy = () => false;
  switch (f.type) {
    case "text":
    case "textarea": {
      el = uiField({ ...common, type: f.type, value: initial ?? "", attrs: { maxlength: f.type === "text" ? 200 : 5000, rows: f.type === "textarea" ? 4 : null } });
      const input = el.querySelector("input, textarea");
      value = () => input.value.trim() || null;
      break;
    }
    case "number": {
      el = uiField({ ...common, type: "number", value: initial ?? "", attrs: { step: "any", inputmode: "decimal" } });
      const input = el.querySelector("input");
      value = () => (input.value === "" ? null : Number(input.value));
      break;
    }
    case "date": {
      el = uiField({ ...common, type: "date", value: initial ?? "" });
      const input = el.querySelector("input");
      value = () => input.value || null;
      break;
    }
    case "select": {
      const options = [{ value: "", label: t("approvals.choose") }, ...(f.options || []).map((o) => ({ value: o, label: o }))];
      el = uiField({ ...common, type: "select", options, value: initial ?? "" });
      const select = el.querySelector("select");
      value = () => select.value || null;
      break;
    }
    case "multiselect": {
      const chosen = new Set(Array.isArray(initial) ? initial : []);
      const boxes = (f.options || []).map((o) => {
        const id = uid("ms");
        return h("div", { class: "check" }, h("input", { type: "checkbox", id, value: o, name: f.key, checked: chosen.has(o) }), h("label", { for: id }, o));
      });
      el = wrapper(label, f.required, f.help, h("div", { class: "check-row", "data-testid": testid }, boxes));
      value = () => {
        const v = [...el.querySelectorAll("input:checked")].map((i) => i.value);
        return v.length ? v : null;
      };
      break;
    }
    case "attachment":
    case "image": {
      const files = filesInput(f, label, initial, testid);
      el = files.el;
      value = files.value;
      busy = files.busy;
      break;
    }
    default:
      el = h("p", { class: "muted small" }, label, ": ", t("approvals.unsupportedField"));
      value = () => initial ?? null;
  }
  return { el, key: f.key, value, busy };
}

/** A value as read-only content; files as cards (their details fetched). */
export function valueView(f, value) {
  const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
  if (empty || (f.type !== "attachment" && f.type !== "image")) return approvalValueView(f, value, { builtin: null, byId: new Map() });
  const box = h("ul", { class: "rpt-files", "data-testid": "report-files" });
  for (const id of value) {
    const slot = h("li", { "data-file-id": id }, h("span", { class: "muted small" }, t("common.loading")));
    box.append(slot);
    api
      .get(`/files/${encodeURIComponent(id)}`)
      .then((file) => clear(slot, dingFile(file)))
      .catch((error) => clear(slot, h("span", { class: "muted small" }, errorText(error))));
  }
  return box;
}
