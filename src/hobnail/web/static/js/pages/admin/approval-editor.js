// The form editor dialog of Admin → Approvals: name and description, the fields of a custom
// form (label, type, required, options), the approval flow as a list of steps (the
// requester's manager N levels up, specific people or the admins; all / any; for leave an
// optional "only when more than N days"), who approves when a step finds nobody, and the
// monthly limit of make-up punches. Creates (POST) or changes (PATCH) the form.

import { api } from "../../api.js";
import { t } from "../../i18n.js";
import { h, clear, dialog, field, formError, showError, busy, toast, uid } from "../../ui.js";
import { formName } from "../approvals/common.js";
import { peoplePicker, ensurePeople } from "../approvals/people.js";

const FIELD_TYPES = ["text", "textarea", "number", "amount", "date", "daterange", "time", "select", "multiselect", "people", "department", "attachment"];
const STEP_TYPES = ["manager", "users", "role"];

function select(label, value, options, attrs = {}) {
  const id = uid("sel");
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("select", { id, ...attrs }, options.map((o) => h("option", { value: o.value, selected: String(o.value) === String(value) }, o.label))),
  );
}

function slugify(label, taken) {
  let base = (label || "").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 30);
  if (!/^[a-z]/.test(base)) base = `field_${base}`.replace(/_+$/, "");
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  taken.add(key);
  return key;
}

/** The field list editor; reports pass their own field types. → {el, value()} */
export function fieldsEditor(initial, types = FIELD_TYPES) {
  const rows = initial.map((f) => ({ ...f, options: (f.options || []).join(", ") }));
  const box = h("div", { class: "form-fields", "data-testid": "form-fields" });
  function draw() {
    clear(
      box,
      rows.map((f, i) =>
        h(
          "div",
          { class: "field-row", "data-testid": "form-field-row" },
          field({ label: t("approvalsAdmin.fieldLabel"), name: `field_${i}_label`, value: f.label, required: true, testid: "field-label", attrs: { maxlength: 50, oninput: (e) => (f.label = e.target.value) } }),
          select(t("approvalsAdmin.fieldType"), f.type, types.map((x) => ({ value: x, label: t(`approvalsAdmin.type.${x}`) })), { "data-testid": "field-type", onchange: (e) => ((f.type = e.target.value), draw()) }),
          f.type === "select" || f.type === "multiselect"
            ? field({ label: t("approvalsAdmin.fieldOptions"), name: `field_${i}_options`, value: f.options, hint: t("approvalsAdmin.optionsHint"), testid: "field-options", attrs: { oninput: (e) => (f.options = e.target.value) } })
            : null,
          h(
            "div",
            { class: "check" },
            h("input", { type: "checkbox", id: `fr-${i}`, checked: f.required, "data-testid": "field-required", onchange: (e) => (f.required = e.target.checked) }),
            h("label", { for: `fr-${i}` }, t("approvalsAdmin.required")),
          ),
          h("button", { type: "button", class: "icon-btn", "aria-label": t("approvalsAdmin.removeField", { n: i + 1 }), onclick: () => (rows.splice(i, 1), draw()) }, "×"),
        ),
      ),
      h("button", { type: "button", class: "btn btn-small", "data-testid": "form-field-add", onclick: () => (rows.push({ label: "", type: "text", required: false, options: "" }), draw()) }, "+ ", t("approvalsAdmin.addField")),
    );
  }
  draw();
  return {
    el: box,
    value() {
      const taken = new Set(rows.filter((f) => f.key).map((f) => f.key));
      return rows.map((f) => {
        const out = { key: f.key || slugify(f.label, taken), type: f.type, label: f.label.trim(), required: !!f.required };
        if (f.type === "select" || f.type === "multiselect") out.options = f.options.split(/[,，\n]/).map((o) => o.trim()).filter(Boolean);
        return out;
      });
    },
  };
}

function stepsEditor(nodes, { leave }) {
  const steps = nodes.map((n) => ({ ...n }));
  const pickers = new Map();
  const box = h("ol", { class: "flow-steps", "data-testid": "flow-steps" });
  const add = h("button", { type: "button", class: "btn btn-small", "data-testid": "flow-step-add", onclick: () => (steps.push({ type: "manager", level: 1, mode: "any" }), draw()) }, "+ ", t("approvalsAdmin.addStep"));
  function draw() {
    pickers.clear();
    clear(
      box,
      steps.map((s, i) => {
        let who = null;
        if (s.type === "manager") who = select(t("approvalsAdmin.level"), s.level || 1, [1, 2, 3].map((n) => ({ value: n, label: t("approvalsAdmin.levelN", { n }) })), { "data-testid": "flow-step-level", onchange: (e) => (s.level = Number(e.target.value)) });
        else if (s.type === "role") who = select(t("approvalsAdmin.role"), s.role || "admin", ["admin", "owner"].map((r) => ({ value: r, label: t(`role.${r}`) })), { "data-testid": "flow-step-role", onchange: (e) => (s.role = e.target.value) });
        else {
          const p = peoplePicker({ name: `step_${i}_users`, label: t("approvalsAdmin.people"), initial: s.user_ids || [], testid: "flow-step-people", onChange: (ids) => (s.user_ids = ids) });
          pickers.set(i, p);
          who = p.el;
        }
        const condId = uid("cond");
        const hasCond = !!s.condition;
        return h(
          "li",
          { class: "flow-step", "data-testid": "flow-step" },
          h("div", { class: "flow-step-head" }, h("strong", {}, t("approvalsAdmin.stepN", { n: i + 1 })), h("button", { type: "button", class: "icon-btn", "data-testid": "flow-step-remove", "aria-label": t("approvalsAdmin.removeStep", { n: i + 1 }), disabled: steps.length < 2, onclick: () => (steps.splice(i, 1), draw()) }, "×")),
          h(
            "div",
            { class: "flow-step-grid" },
            select(t("approvalsAdmin.approvers"), s.type, STEP_TYPES.map((x) => ({ value: x, label: t(`approvalsAdmin.stepType.${x}`) })), {
              "data-testid": "flow-step-type",
              onchange: (e) => {
                s.type = e.target.value;
                s.name = t(`approvalsAdmin.stepType.${s.type}`);
                if (s.type === "role" && !s.role) s.role = "admin";
                draw();
              },
            }),
            who,
            select(t("approvalsAdmin.mode"), s.mode || "any", [{ value: "any", label: t("approvals.modeAny") }, { value: "all", label: t("approvals.modeAll") }], { "data-testid": "flow-step-mode", onchange: (e) => (s.mode = e.target.value) }),
          ),
          leave
            ? h(
                "div",
                { class: "flow-cond" },
                h("input", { type: "checkbox", id: condId, checked: hasCond, "data-testid": "flow-step-condition", onchange: (e) => ((s.condition = e.target.checked ? { field: "days", op: "gt", value: 3 } : null), draw()) }),
                h("label", { for: condId }, t("approvalsAdmin.onlyWhenDays")),
                hasCond ? h("input", { type: "number", min: 0, step: 0.5, value: s.condition.value, class: "flow-cond-days", "data-testid": "flow-step-days", "aria-label": t("approvalsAdmin.daysThreshold"), oninput: (e) => (s.condition = { field: "days", op: "gt", value: Number(e.target.value) }) }) : null,
              )
            : s.condition
              ? h("p", { class: "muted small" }, t("approvalsAdmin.hasCondition"))
              : null,
        );
      }),
    );
  }
  draw();
  return {
    el: h("div", {}, box, add),
    value: () =>
      steps.map((s) => {
        const node = { name: s.name || t(`approvalsAdmin.stepType.${s.type}`), type: s.type, mode: s.mode || "any" };
        if (s.type === "manager") node.level = s.level || 1;
        if (s.type === "role") node.role = s.role || "admin";
        if (s.type === "users") node.user_ids = s.user_ids || [];
        if (s.condition) node.condition = s.condition;
        return node;
      }),
  };
}

/** Open the editor; form null = a new custom form. Resolves true when saved. */
export function editFormDialog(form) {
  const isNew = !form;
  const builtin = form?.builtin || null;
  const flow = form?.flow || { nodes: [{ name: t("approvalsAdmin.stepType.manager"), type: "manager", level: 1, mode: "any" }], when_empty: "admins", cc: [], cc_when: "finish" };
  const d = dialog({
    title: isNew ? t("approvalsAdmin.newForm") : t("approvalsAdmin.editForm", { name: formName(form) }),
    testid: "form-dialog",
    wide: true,
    content: (close) => {
      const fields = builtin ? null : fieldsEditor(form?.fields || [{ label: "", type: "text", required: true, options: "" }]);
      const steps = stepsEditor(flow.nodes || [], { leave: builtin === "leave" });
      ensurePeople(flow.cc || []);
      const cc = peoplePicker({ name: "cc", label: t("approvalsAdmin.ccPeople"), initial: flow.cc || [], testid: "flow-cc", hint: t("approvalsAdmin.ccHint") });
      const el = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": "form-editor" },
        formError(),
        field({ label: t("approvalsAdmin.formName"), name: "name", value: form?.name || "", required: true, testid: "form-name", attrs: { maxlength: 50 } }),
        field({ label: t("approvalsAdmin.description"), name: "description", type: "textarea", value: form?.description || "", attrs: { maxlength: 500, rows: 2 } }),
        fields ? h("fieldset", { class: "card-lite", name: "fields" }, h("legend", {}, t("approvalsAdmin.fields")), fields.el) : h("p", { class: "muted small" }, t("approvalsAdmin.builtinFields")),
        h("fieldset", { class: "card-lite" }, h("legend", {}, t("approvalsAdmin.flow")), steps.el),
        h(
          "fieldset",
          { class: "card-lite" },
          h("legend", {}, t("approvalsAdmin.cc")),
          cc.el,
          select(t("approvalsAdmin.ccWhen"), flow.cc_when || "finish", ["submit", "finish", "both"].map((v) => ({ value: v, label: t(`approvalsAdmin.ccWhen.${v}`) })), { name: "cc_when", "data-testid": "flow-cc-when" }),
        ),
        select(t("approvalsAdmin.whenEmpty"), flow.when_empty || "admins", [{ value: "admins", label: t("approvalsAdmin.whenEmptyAdmins") }, { value: "skip", label: t("approvalsAdmin.whenEmptySkip") }], { name: "when_empty", "data-testid": "flow-when-empty" }),
        builtin === "makeup" ? field({ label: t("approvalsAdmin.perMonth"), name: "settings.per_month", type: "number", value: form.settings?.per_month ?? 3, testid: "form-per-month", attrs: { min: 0, max: 31 } }) : null,
        h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")), h("button", { type: "submit", class: "btn btn-primary", "data-testid": "form-save" }, isNew ? t("common.create") : t("common.save"))),
      );
      el.addEventListener("submit", (e) => {
        e.preventDefault();
        const body = {
          name: el.elements.name.value.trim(),
          description: el.elements.description.value.trim(),
          flow: {
            ...flow,
            nodes: steps.value(),
            when_empty: el.querySelector("[data-testid=flow-when-empty]").value,
            cc: cc.ids(),
            cc_when: el.querySelector("[data-testid=flow-cc-when]").value,
          },
        };
        if (fields) body.fields = fields.value();
        if (builtin === "makeup") body.settings = { per_month: Number(el.querySelector("[data-testid=form-per-month]").value) };
        busy(el, async () => {
          try {
            if (isNew) await api.post("/approvals/forms", body);
            else await api.patch(`/approvals/forms/${encodeURIComponent(form.id)}`, body);
            toast(t("common.saved"), { type: "success" });
            close(true);
          } catch (error) {
            showError(el, error);
          }
        });
      });
      return el;
    },
  });
  return d.closed.then((v) => v === true);
}
