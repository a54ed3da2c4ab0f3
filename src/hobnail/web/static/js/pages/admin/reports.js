// /admin/reports: the report templates (built-in daily/weekly/monthly and custom ones) with
// who writes them, when they are due, on/off, Edit; New template.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, toast, loading, uid } from "../../ui.js";
import { icon } from "../../icons.js";
import { fetchDepartments } from "../../depts.js";
import { templateName } from "../reports/common.js";
import { editTemplateDialog } from "./report-editor.js";
import { adminFrame } from "./layout.js";

function summary(tpl) {
  const r = tpl.rules;
  const parts = [t(`reportsAdmin.periodName.${r.period}`)];
  if (r.period !== "none") parts.push(t("reportsAdmin.dueAt", { time: r.deadline }));
  parts.push(t("reportsAdmin.writersCount", { people: (r.user_ids || []).length, departments: (r.department_ids || []).length }));
  if (tpl.recipients.manager) parts.push(t("reportsAdmin.toManagerShort"));
  return parts.join(" · ");
}

export async function render(ctx) {
  let departments = [];
  const open = async (tpl) => (await editTemplateDialog(tpl, departments)) && load();
  const newButton = h("button", { type: "button", class: "btn btn-primary", "data-testid": "admin-template-new", onclick: () => open(null) }, icon("plus", 18), t("reportsAdmin.newTemplate"));
  const content = adminFrame(ctx, "reports", newButton);
  const box = h("div", {}, loading());
  content.append(h("section", { class: "card", "aria-labelledby": "templates-h" }, h("h2", { id: "templates-h" }, t("reportsAdmin.templates")), h("p", { class: "muted small" }, t("reportsAdmin.help")), box));

  async function toggle(tpl, input) {
    input.disabled = true;
    try {
      await api.patch(`/report-templates/${encodeURIComponent(tpl.id)}`, { enabled: input.checked });
      toast(input.checked ? t("reportsAdmin.enabled") : t("reportsAdmin.disabled"), { type: "success" });
    } catch (error) {
      input.checked = !input.checked;
      toast(errorText(error), { type: "error" });
    } finally {
      input.disabled = false;
    }
  }

  async function load() {
    try {
      const [templates, depts] = await Promise.all([api.get("/report-templates"), fetchDepartments().catch(() => [])]);
      departments = depts;
      if (!ctx.isCurrent()) return;
      clear(
        box,
        h(
          "ul",
          { class: "admin-forms", "data-testid": "admin-templates" },
          templates.map((tpl) => {
            const id = uid("en");
            const input = h("input", { type: "checkbox", id, checked: tpl.enabled, "data-testid": "admin-template-enabled", onchange: (e) => toggle(tpl, e.target) });
            return h(
              "li",
              { class: "admin-form-row", "data-testid": "admin-template", "data-template-id": tpl.id, "data-builtin": tpl.builtin || "" },
              h("div", { class: "admin-form-main" }, h("strong", {}, templateName(tpl)), h("span", { class: "muted small" }, summary(tpl))),
              h("div", { class: "check" }, input, h("label", { for: id }, t("approvalsAdmin.enabledLabel"))),
              h("button", { type: "button", class: "btn btn-small", "data-testid": "admin-template-edit", "aria-label": t("reportsAdmin.editTemplate", { name: templateName(tpl) }), onclick: () => open(tpl) }, t("common.edit")),
            );
          }),
        ),
      );
    } catch (error) {
      clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  await load();
}
