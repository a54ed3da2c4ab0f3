// The template editor dialog of Admin → Reports: name and description, the fields of a
// custom template (the approvals form editor's field list, with report field types), who
// writes it (people, departments), how often (period), by when (deadline) and how long
// before the deadline they are reminded, and who gets it by default (the writer's direct
// manager, named people). Built-in templates keep their fields. POST or PATCH.

import { api } from "../../api.js";
import { t } from "../../i18n.js";
import { h, dialog, field, formError, showError, busy, toast, uid } from "../../ui.js";
import { flatten, buildTree } from "../../depts.js";
import { peoplePicker } from "../approvals/people.js";
import { templateName, PERIODS } from "../reports/common.js";
import { fieldsEditor } from "./approval-editor.js";

const REPORT_TYPES = ["text", "textarea", "number", "date", "select", "multiselect", "attachment", "image"];

function departmentChecks(departments, chosen) {
  const rows = flatten(buildTree(departments).roots);
  if (!rows.length) return h("p", { class: "muted small" }, t("reportsAdmin.noDepartments"));
  return h(
    "div",
    { class: "rpt-dept-checks", "data-testid": "template-departments" },
    rows.map(({ node, depth }) => {
      const id = uid("dept");
      return h(
        "div",
        { class: "check", style: depth ? `padding-inline-start:${depth * 18}px` : null },
        h("input", { type: "checkbox", id, value: node.id, name: "department_ids", checked: chosen.includes(node.id), "data-testid": "template-department", "data-department-id": node.id }),
        h("label", { for: id }, node.name),
      );
    }),
  );
}

/** Open the editor; template null = a new custom template. Resolves true when saved. */
export function editTemplateDialog(template, departments) {
  const isNew = !template;
  const builtin = template?.builtin || null;
  const rules = template?.rules || { user_ids: [], department_ids: [], period: "daily", deadline: "20:00", remind_before_minutes: 60 };
  const recipients = template?.recipients || { manager: true, user_ids: [], chat_ids: [] };
  const d = dialog({
    title: isNew ? t("reportsAdmin.newTemplate") : t("reportsAdmin.editTemplate", { name: templateName(template) }),
    testid: "template-dialog",
    wide: true,
    content: (close) => {
      const fields = builtin ? null : fieldsEditor(template?.fields || [{ label: "", type: "textarea", required: true, options: "" }], REPORT_TYPES);
      const writers = peoplePicker({ name: "rules.user_ids", label: t("reportsAdmin.writersPeople"), initial: rules.user_ids || [], testid: "template-writers" });
      const readers = peoplePicker({ name: "recipients.user_ids", label: t("reportsAdmin.recipientPeople"), initial: recipients.user_ids || [], testid: "template-recipients" });
      const managerId = uid("mgr");
      const el = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": "template-editor" },
        formError(),
        field({ label: t("reportsAdmin.name"), name: "name", value: template?.name || "", required: true, testid: "template-name", attrs: { maxlength: 50 } }),
        field({ label: t("approvalsAdmin.description"), name: "description", type: "textarea", value: template?.description || "", attrs: { maxlength: 500, rows: 2 } }),
        fields ? h("fieldset", { class: "card-lite", name: "fields" }, h("legend", {}, t("approvalsAdmin.fields")), fields.el) : h("p", { class: "muted small" }, t("reportsAdmin.builtinFields")),
        h(
          "fieldset",
          { class: "card-lite stack" },
          h("legend", {}, t("reportsAdmin.rules")),
          writers.el,
          h("fieldset", { class: "card-lite", name: "rules.department_ids" }, h("legend", {}, t("reportsAdmin.writersDepartments")), departmentChecks(departments, rules.department_ids || [])),
          h(
            "div",
            { class: "grid-3" },
            field({ label: t("reportsAdmin.period"), name: "rules.period", type: "select", value: rules.period, options: PERIODS.map((p) => ({ value: p, label: t(`reportsAdmin.periodName.${p}`) })), testid: "template-period" }),
            field({ label: t("reportsAdmin.deadline"), name: "rules.deadline", type: "time", value: rules.deadline, testid: "template-deadline", hint: t("reportsAdmin.deadlineHint") }),
            field({ label: t("reportsAdmin.remindBefore"), name: "rules.remind_before_minutes", type: "number", value: rules.remind_before_minutes, testid: "template-remind", attrs: { min: 0, max: 720, step: 5 }, hint: t("reportsAdmin.remindHint") }),
          ),
        ),
        h(
          "fieldset",
          { class: "card-lite stack" },
          h("legend", {}, t("reportsAdmin.recipients")),
          h("div", { class: "check" }, h("input", { type: "checkbox", id: managerId, name: "recipients.manager", checked: recipients.manager, "data-testid": "template-manager" }), h("label", { for: managerId }, t("reportsAdmin.toManager"))),
          readers.el,
        ),
        h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")), h("button", { type: "submit", class: "btn btn-primary", "data-testid": "template-save" }, isNew ? t("common.create") : t("common.save"))),
      );
      el.addEventListener("submit", (e) => {
        e.preventDefault();
        const value = (name) => el.querySelector(`[name="${name}"]`);
        const body = {
          name: value("name").value.trim(),
          description: value("description").value.trim(),
          rules: {
            ...rules,
            user_ids: writers.ids(),
            department_ids: [...el.querySelectorAll("input[name=department_ids]:checked")].map((i) => i.value),
            period: value("rules.period").value,
            deadline: value("rules.deadline").value,
            remind_before_minutes: Number(value("rules.remind_before_minutes").value || 0),
          },
          recipients: { ...recipients, manager: value("recipients.manager").checked, user_ids: readers.ids() },
        };
        if (fields) body.fields = fields.value();
        busy(el, async () => {
          try {
            if (isNew) await api.post("/report-templates", body);
            else await api.patch(`/report-templates/${encodeURIComponent(template.id)}`, body);
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
