// Form fields of approvals, one renderer per type: inputs for the request form
// (fieldInput → {el, key, value()}) and read-only views for the request detail (valueView).
// Every input carries name=<field key>, so showError() puts a server error next to it.

import { t } from "../../i18n.js";
import { h, field as uiField, uid } from "../../ui.js";
import { departmentOptions, pathName } from "../../depts.js";
import { attachmentPicker } from "../ding/attachment.js";
import { fieldLabel, optionLabel, formatDay } from "./common.js";
import { peoplePicker, personName } from "./people.js";

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

/**
 * An input for one field. ctx: {builtin, tree: {roots, byId}, onChange}.
 * Returns {el, key, value() → the value to send (null when empty), busy() → true while uploading}.
 */
export function fieldInput(f, ctx) {
  const label = fieldLabel(f, ctx.builtin);
  const testid = `approval-field-${f.key}`;
  const common = { label, name: f.key, required: f.required, hint: f.help || null, testid };
  const onChange = ctx.onChange || (() => {});
  let el;
  let value;
  let busy = () => false;
  switch (f.type) {
    case "text":
    case "textarea": {
      el = uiField({ ...common, type: f.type === "textarea" ? "textarea" : "text", attrs: { maxlength: f.type === "text" ? 200 : 5000, rows: f.type === "textarea" ? 3 : null } });
      const input = el.querySelector("input, textarea");
      value = () => input.value.trim() || null;
      break;
    }
    case "number":
    case "amount": {
      el = uiField({ ...common, type: "number", attrs: { step: f.type === "amount" ? "0.01" : "any", inputmode: "decimal" } });
      const input = el.querySelector("input");
      value = () => (input.value === "" ? null : Number(input.value));
      break;
    }
    case "date": {
      el = uiField({ ...common, type: "date", value: ctx.defaults?.[f.key] ?? null });
      const input = el.querySelector("input");
      input.addEventListener("change", onChange);
      value = () => input.value || null;
      break;
    }
    case "time": {
      el = uiField({ ...common, type: "time", value: ctx.defaults?.[f.key] ?? null, attrs: { step: 60 } });
      const input = el.querySelector("input");
      input.addEventListener("change", onChange);
      input.addEventListener("input", onChange);
      value = () => (/^\d{2}:\d{2}/.test(input.value) ? input.value.slice(0, 5) : null);
      break;
    }
    case "select": {
      const options = [{ value: "", label: t("approvals.choose") }, ...(f.options || []).map((o) => ({ value: o, label: optionLabel(o, ctx.builtin) }))];
      el = uiField({ ...common, type: "select", options, value: ctx.defaults?.[f.key] ?? "" });
      const select = el.querySelector("select");
      select.addEventListener("change", onChange);
      value = () => select.value || null;
      break;
    }
    case "daterange": {
      const a = h("input", { type: "date", name: f.key, "data-testid": `${testid}-start`, "aria-label": `${label} · ${t("approvals.rangeStart")}` });
      const b = h("input", { type: "date", "data-testid": `${testid}-end`, "aria-label": `${label} · ${t("approvals.rangeEnd")}` });
      const preset = ctx.defaults?.[f.key];
      if (Array.isArray(preset)) [a.value, b.value] = [preset[0] || "", preset[1] || ""];
      el = wrapper(label, f.required, f.help, h("div", { class: "range-row" }, a, h("span", { "aria-hidden": "true" }, "–"), b));
      value = () => (a.value || b.value ? [a.value, b.value || a.value] : null);
      break;
    }
    case "multiselect": {
      const boxes = (f.options || []).map((o) => {
        const id = uid("ms");
        return h("div", { class: "check" }, h("input", { type: "checkbox", id, value: o, name: f.key }), h("label", { for: id }, optionLabel(o, ctx.builtin)));
      });
      el = wrapper(label, f.required, f.help, h("div", { class: "check-row" }, boxes));
      value = () => {
        const v = [...el.querySelectorAll("input:checked")].map((i) => i.value);
        return v.length ? v : null;
      };
      break;
    }
    case "people": {
      const picker = peoplePicker({ name: f.key, label, required: f.required, testid, hint: f.help || null });
      el = picker.el;
      value = () => (picker.ids().length ? picker.ids() : null);
      break;
    }
    case "department": {
      const options = departmentOptions(ctx.tree.roots, { emptyLabel: t("approvals.choose") });
      el = uiField({ ...common, type: "select", options });
      const select = el.querySelector("select");
      value = () => (select.value ? [select.value] : null);
      break;
    }
    case "attachment": {
      const picker = attachmentPicker();
      el = wrapper(label, f.required, f.help, picker.el);
      el.querySelector("legend").classList.add("sr-only");
      const hint = picker.el.querySelector(".hint");
      if (hint && window.tus) hint.textContent = t("approvals.attachHint");
      const holder = picker.el.querySelector("input[type=file]");
      if (holder) holder.name = f.key;
      value = () => (picker.state() === "done" && picker.fileId() ? [picker.fileId()] : null);
      busy = () => picker.state() === "uploading";
      break;
    }
    default:
      el = h("p", { class: "muted small" }, label, ": ", t("approvals.unsupportedField"));
      value = () => null;
  }
  return { el, key: f.key, value, busy };
}

/** A value as read-only content. ctx: {builtin, byId (departments)}. */
export function valueView(f, value, ctx) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return h("span", { class: "muted" }, "—");
  switch (f.type) {
    case "date":
      return formatDay(value);
    case "time":
      return h("span", {}, String(value).slice(0, 5));
    case "daterange":
      return `${formatDay(value[0])} – ${formatDay(value[1])}`;
    case "select":
      return optionLabel(value, ctx.builtin);
    case "multiselect":
      return value.map((v) => optionLabel(v, ctx.builtin)).join(t("common.listSep"));
    case "amount":
      return Number(value).toFixed(2);
    case "people":
      return value.map((id) => personName(id)).join(t("common.listSep"));
    case "department":
      return value.map((id) => pathName(ctx.byId, id) || id).join(t("common.listSep"));
    case "attachment":
      return h(
        "span",
        { class: "approval-files" },
        value.map((id, i) => h("a", { href: `/api/v1/files/${encodeURIComponent(id)}/download`, class: "btn btn-small", "data-testid": "approval-file" }, t("approvals.attachmentN", { n: i + 1 }))),
      );
    case "textarea":
      return h("span", { class: "pre-wrap", dir: "auto" }, String(value));
    default:
      return h("span", { dir: "auto" }, String(value));
  }
}
