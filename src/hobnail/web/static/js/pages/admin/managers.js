// The department managers dialog (Admin → Departments): choose the managers (主管) of a
// department among its members → PUT /departments/:id/managers. Managers approve for it.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, dialog, formError, showError, busy, toast, loading, avatar, uid } from "../../ui.js";

async function membersOf(departmentId) {
  const out = [];
  let cursor;
  do {
    const page = await api.get("/members", { department_id: departmentId, limit: 100, cursor });
    out.push(...page.items.filter((m) => m.status !== "deactivated"));
    cursor = page.next_cursor;
  } while (cursor && out.length < 1000);
  return out;
}

/** Resolves true when saved. */
export function managersDialog(node) {
  const d = dialog({
    title: t("departments.managersTitle", { name: node.name }),
    testid: "managers-dialog",
    content: (close) => {
      const list = h("ul", { class: "pick-list" }, h("li", {}, loading()));
      const form = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": "managers-form" },
        h("p", { class: "muted small" }, t("departments.managersHelp")),
        h("fieldset", { class: "field" }, h("legend", { class: "sr-only" }, t("departments.managers")), list, h("input", { type: "hidden", name: "user_ids" }), h("p", { class: "field-error" })),
        formError(),
        h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")), h("button", { type: "submit", class: "btn btn-primary", "data-testid": "managers-save" }, t("common.save"))),
      );
      membersOf(node.id)
        .then((members) => {
          if (!members.length) return clear(list, h("li", { class: "muted small" }, t("departments.noMembers")));
          clear(
            list,
            members.map((m) => {
              const id = uid("mgr");
              return h(
                "li",
                {},
                h("input", { type: "checkbox", id, value: m.id, checked: (node.manager_ids || []).includes(m.id), "data-testid": "manager-option", "data-member-id": m.id }),
                h("label", { for: id, class: "pick-label" }, avatar(m, "sm"), h("span", { class: "member-main" }, h("span", { class: "member-name" }, m.name), m.title ? h("span", { class: "member-sub" }, m.title) : null)),
              );
            }),
          );
        })
        .catch((error) => clear(list, h("li", { class: "notice notice-error" }, errorText(error))));
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const ids = [...list.querySelectorAll("input:checked")].map((i) => i.value);
        busy(form, async () => {
          try {
            await api.put(`/departments/${encodeURIComponent(node.id)}/managers`, { user_ids: ids });
            toast(t("departments.managersSaved"), { type: "success" });
            close(true);
          } catch (error) {
            showError(form, error);
          }
        });
      });
      return form;
    },
  });
  return d.closed.then((v) => v === true);
}
