// /admin/approvals: the forms (enable/disable, edit name, flow and settings; new custom
// form) and leave quotas (chosen people or everyone, a leave type, a year, days).

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, toast, loading, formError, showError, busy, uid, field } from "../../ui.js";
import { icon } from "../../icons.js";
import { formName, LEAVE_TYPES, leaveTypeName } from "../approvals/common.js";
import { peoplePicker } from "../approvals/people.js";
import { editFormDialog } from "./approval-editor.js";
import { adminFrame } from "./layout.js";

function flowSummary(form) {
  return (form.flow?.nodes || [])
    .map((n) => {
      if (n.type === "manager") return t("approvalsAdmin.levelN", { n: n.level || 1 });
      if (n.type === "role") return t(`role.${n.role}`);
      return t("approvalsAdmin.peopleN", { count: (n.user_ids || []).length });
    })
    .join(" → ");
}

async function allMemberIds() {
  const ids = [];
  let cursor;
  do {
    const page = await api.get("/members", { limit: 100, cursor });
    ids.push(...page.items.filter((m) => m.status !== "deactivated").map((m) => m.id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

function quotaForm() {
  const year = new Date().getFullYear();
  const everyoneId = uid("everyone");
  const people = peoplePicker({ name: "user_ids", label: t("approvalsAdmin.quotaPeople"), testid: "quota-people" });
  const everyone = h("input", { type: "checkbox", id: everyoneId, "data-testid": "quota-everyone", onchange: (e) => (people.el.hidden = e.target.checked) });
  const form = h(
    "form",
    { class: "stack", novalidate: true, "data-testid": "quota-form" },
    formError(),
    h("div", { class: "check" }, everyone, h("label", { for: everyoneId }, t("approvalsAdmin.quotaEveryone"))),
    people.el,
    h(
      "div",
      { class: "grid-3" },
      field({ label: t("approvals.leaveType"), name: "leave_type", type: "select", value: "annual", options: LEAVE_TYPES.map((x) => ({ value: x, label: leaveTypeName(x) })), testid: "quota-type" }),
      field({ label: t("approvals.year"), name: "year", type: "number", value: year, testid: "quota-year", attrs: { min: 2000, max: 2100 } }),
      field({ label: t("approvalsAdmin.quotaDays"), name: "quota_days", type: "number", value: 5, testid: "quota-days", attrs: { min: 0, step: 0.5 } }),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "quota-save" }, t("approvalsAdmin.quotaSave"))),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const userIds = everyone.checked ? await allMemberIds() : people.ids();
        if (!userIds.length) return showError(form, { field: "user_ids", message: t("approvalsAdmin.quotaNobody") });
        const changed = await api.put("/leave/quotas", {
          user_ids: userIds,
          leave_type: form.elements.leave_type.value,
          year: Number(form.elements.year.value),
          quota_days: Number(form.elements.quota_days.value),
        });
        toast(t("approvalsAdmin.quotaSaved", { count: changed.length }), { type: "success" });
      } catch (error) {
        showError(form, error);
      }
    });
  });
  return form;
}

export async function render(ctx) {
  const newButton = h("button", { type: "button", class: "btn btn-primary", "data-testid": "admin-form-new", onclick: async () => (await editFormDialog(null)) && load() }, icon("plus", 18), t("approvalsAdmin.newForm"));
  const content = adminFrame(ctx, "approvals", newButton);
  const box = h("div", {}, loading());
  content.append(
    h("section", { class: "card", "aria-labelledby": "forms-h" }, h("h2", { id: "forms-h" }, t("approvalsAdmin.forms")), box),
    h("section", { class: "card", "aria-labelledby": "quota-h" }, h("h2", { id: "quota-h" }, t("approvalsAdmin.quotas")), h("p", { class: "muted small" }, t("approvalsAdmin.quotasHelp")), quotaForm()),
  );

  async function toggle(form, input) {
    input.disabled = true;
    try {
      await api.patch(`/approvals/forms/${encodeURIComponent(form.id)}`, { enabled: input.checked });
      toast(input.checked ? t("approvalsAdmin.enabled") : t("approvalsAdmin.disabled"), { type: "success" });
    } catch (error) {
      input.checked = !input.checked;
      toast(errorText(error), { type: "error" });
    } finally {
      input.disabled = false;
    }
  }

  async function load() {
    try {
      const forms = await api.get("/approvals/forms");
      if (!ctx.isCurrent()) return;
      clear(
        box,
        h(
          "ul",
          { class: "admin-forms", "data-testid": "admin-forms" },
          forms.map((f) => {
            const id = uid("en");
            const input = h("input", { type: "checkbox", id, checked: f.enabled, "data-testid": "admin-form-enabled", onchange: (e) => toggle(f, e.target) });
            return h(
              "li",
              { class: "admin-form-row", "data-testid": "admin-form", "data-form-id": f.id, "data-builtin": f.builtin || "" },
              h("div", { class: "admin-form-main" }, h("strong", {}, formName(f)), h("span", { class: "muted small" }, flowSummary(f), f.builtin === "makeup" ? ` · ${t("approvalsAdmin.perMonthShort", { n: f.settings?.per_month ?? 3 })}` : "")),
              h("div", { class: "check" }, input, h("label", { for: id }, t("approvalsAdmin.enabledLabel"))),
              h("button", { type: "button", class: "btn btn-small", "data-testid": "admin-form-edit", "aria-label": t("approvalsAdmin.editForm", { name: formName(f) }), onclick: async () => (await editFormDialog(f)) && load() }, t("common.edit")),
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
