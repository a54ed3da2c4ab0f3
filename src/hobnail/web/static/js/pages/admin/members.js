// /admin/members: search, show deactivated, add / edit, deactivate / reactivate.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, field, checkbox, formError, formValues, showError, busy, toast, dialog, confirmDialog, debounce, emptyState, avatar, roleLabel, copyField, uid, loading } from "../../ui.js";
import { icon } from "../../icons.js";
import { buildTree, flatten, pathName } from "../../depts.js";
import { openPersonCard } from "../../person.js";
import { org } from "../../state.js";
import { adminFrame } from "./layout.js";

export async function render(ctx) {
  const view = { q: "", includeDeactivated: false, cursor: null, seq: 0, tree: buildTree([]) };
  const addButton = h("button", { type: "button", class: "btn btn-primary", "data-testid": "member-add", onclick: () => memberDialog(null) }, icon("plus", 18), t("members.add"));
  const content = adminFrame(ctx, "members", addButton);

  const searchId = uid("msearch");
  const search = h("input", { id: searchId, type: "search", placeholder: t("contacts.searchPlaceholder"), "data-testid": "admin-member-search", autocomplete: "off" });
  const tbody = h("tbody", { "data-testid": "admin-member-rows" });
  const more = h("button", { type: "button", class: "btn btn-block", hidden: true, "data-testid": "admin-load-more" }, t("contacts.loadMore"));
  content.append(
    h(
      "section",
      { class: "card" },
      h(
        "div",
        { class: "toolbar" },
        h("div", { class: "search" }, h("label", { for: searchId, class: "sr-only" }, t("contacts.search")), icon("search", 18), search),
        checkbox({
          label: t("members.showDeactivated"),
          name: "include_deactivated",
          testid: "show-deactivated",
          onchange: (e) => {
            view.includeDeactivated = e.target.checked;
            load();
          },
        }),
      ),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "table", "data-testid": "admin-member-table" },
          h("caption", { class: "sr-only" }, t("admin.tabMembers")),
          h(
            "thead",
            {},
            h("tr", {}, h("th", { scope: "col" }, t("common.name")), h("th", { scope: "col", class: "hide-sm" }, t("members.contact")), h("th", { scope: "col", class: "hide-sm" }, t("common.departments")), h("th", { scope: "col" }, t("members.role")), h("th", { scope: "col" }, h("span", { class: "sr-only" }, t("common.actions")))),
          ),
          tbody,
        ),
      ),
      more,
    ),
  );

  function row(m) {
    const depts = m.department_ids.map((id) => pathName(view.tree.byId, id)).filter(Boolean).join(t("common.listSep"));
    const deactivated = m.status === "deactivated";
    return h(
      "tr",
      { "data-testid": "admin-member-row", "data-member-id": m.id, class: deactivated ? "is-deactivated" : null },
      h(
        "td",
        {},
        h(
          "button",
          { type: "button", class: "link-btn person-cell", onclick: () => openPersonCard(m, view.tree.byId) },
          avatar(m, "sm"),
          h("span", {}, h("span", { class: "member-name" }, m.name), m.title ? h("span", { class: "member-sub" }, m.title) : null),
        ),
      ),
      h("td", { class: "hide-sm" }, h("div", {}, m.phone || ""), h("div", { class: "muted" }, m.email || "")),
      h("td", { class: "hide-sm" }, depts || h("span", { class: "muted" }, "—")),
      h(
        "td",
        {},
        h("span", { class: `tag role-${m.role}` }, roleLabel(m.role)),
        deactivated ? h("span", { class: "tag tag-muted", "data-testid": "member-deactivated" }, t("members.deactivated")) : null,
      ),
      h(
        "td",
        { class: "cell-actions" },
        h("button", { type: "button", class: "btn btn-small", "aria-label": t("members.editOf", { name: m.name }), "data-testid": "member-edit", onclick: () => memberDialog(m) }, t("common.edit")),
        deactivated
          ? h("button", { type: "button", class: "btn btn-small", "aria-label": t("members.reactivateOf", { name: m.name }), "data-testid": "member-reactivate", onclick: () => setStatus(m, true) }, t("members.reactivate"))
          : h("button", { type: "button", class: "btn btn-small btn-danger-outline", "aria-label": t("members.deactivateOf", { name: m.name }), "data-testid": "member-deactivate", onclick: () => setStatus(m, false) }, t("members.deactivate")),
      ),
    );
  }

  async function load({ append = false } = {}) {
    const seq = ++view.seq;
    if (!append) clear(tbody, h("tr", {}, h("td", { colspan: 5 }, loading())));
    more.hidden = true;
    try {
      const page = await api.get("/members", {
        q: view.q || undefined,
        include_deactivated: view.includeDeactivated ? "true" : undefined,
        cursor: append ? view.cursor : undefined,
        limit: 50,
      });
      if (seq !== view.seq) return;
      if (!append) clear(tbody);
      tbody.append(...page.items.map(row));
      if (!tbody.children.length) tbody.append(h("tr", {}, h("td", { colspan: 5 }, emptyState(t("contacts.noResults"), "admin-members-empty"))));
      view.cursor = page.next_cursor;
      more.hidden = !page.next_cursor;
    } catch (error) {
      if (seq === view.seq) toast(errorText(error), { type: "error" });
    }
  }

  async function loadTree() {
    view.tree = buildTree(await api.get("/departments"));
  }

  async function setStatus(m, active) {
    if (!active) {
      const ok = await confirmDialog({
        title: t("members.deactivateTitle"),
        message: t("members.deactivateConfirm", { name: m.name }),
        confirmLabel: t("members.deactivate"),
        danger: true,
      });
      if (!ok) return;
    }
    try {
      await api.post(`/members/${m.id}/${active ? "reactivate" : "deactivate"}`);
      toast(t(active ? "members.reactivated" : "members.deactivatedToast", { name: m.name }), { type: "success" });
      load();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  function departmentPicker(selected) {
    const items = flatten(view.tree.roots);
    return h(
      "fieldset",
      { class: "field dept-picker", "data-testid": "member-departments" },
      h("legend", {}, t("common.departments")),
      items.length
        ? h(
            "div",
            { class: "dept-options" },
            items.map(({ node, depth }) => {
              const id = uid("dept");
              return h(
                "div",
                { class: "check", style: `--depth:${depth}` },
                h("input", { type: "checkbox", id, name: "department_ids", value: node.id, "data-multi": "1", checked: selected.includes(node.id) }),
                h("label", { for: id }, node.name),
              );
            }),
          )
        : h("p", { class: "muted" }, t("departments.empty")),
      h("p", { class: "field-error" }),
    );
  }

  function memberDialog(member) {
    const editing = !!member;
    dialog({
      title: editing ? t("members.editTitle", { name: member.name }) : t("members.add"),
      testid: "member-dialog",
      wide: true,
      content: (close) => {
        const roles = ["member", "admin", "owner"].map((r) => ({ value: r, label: roleLabel(r) }));
        const form = h(
          "form",
          { class: "stack", novalidate: true, "data-testid": "member-form" },
          h(
            "div",
            { class: "grid-2" },
            field({ label: t("common.name"), name: "name", value: member?.name, required: true, testid: "member-name" }),
            field({ label: t("members.title"), name: "title", value: member?.title, testid: "member-title" }),
            field({ label: t("common.email"), name: "email", type: "email", value: member?.email, testid: "member-email" }),
            field({ label: t("common.phone"), name: "phone", type: "tel", value: member?.phone, testid: "member-phone" }),
            field({ label: t("members.employeeNo"), name: "employee_no", value: member?.employee_no, testid: "member-employee-no" }),
            field({ label: t("members.role"), name: "role", type: "select", value: member?.role || "member", options: roles, testid: "member-role" }),
          ),
          editing ? null : h("p", { class: "hint" }, t("members.contactHint")),
          departmentPicker(member?.department_ids || []),
          editing ? null : field({ label: t("members.initialPassword"), name: "password", type: "text", testid: "member-password", hint: t("members.initialPasswordHint"), attrs: { autocomplete: "new-password" } }),
          formError(),
          h(
            "div",
            { class: "actions" },
            h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")),
            h("button", { type: "submit", class: "btn btn-primary", "data-testid": "member-save" }, editing ? t("common.save") : t("members.add")),
          ),
        );
        form.addEventListener("submit", (e) => {
          e.preventDefault();
          const v = formValues(form);
          const body = {
            name: v.name,
            email: v.email || null,
            phone: v.phone || null,
            title: v.title,
            employee_no: v.employee_no,
            role: v.role,
            department_ids: v.department_ids || [],
          };
          if (!editing && v.password) body.password = v.password;
          busy(form, async () => {
            try {
              if (editing) {
                await api.patch(`/members/${member.id}`, body);
                toast(t("common.saved"), { type: "success" });
                close(true);
              } else {
                const created = await api.post("/members", body);
                close(true);
                toast(t("members.added", { name: created.name }), { type: "success" });
                if (created.initial_password) showPassword(created);
              }
              load();
            } catch (error) {
              showError(form, error);
            }
          });
        });
        return form;
      },
    });
  }

  function showPassword(created) {
    dialog({
      title: t("members.passwordTitle"),
      testid: "initial-password-dialog",
      content: (close) =>
        h(
          "div",
          { class: "stack" },
          h("p", {}, t("members.passwordText", { name: created.name, org: org()?.name || "" })),
          copyField({ label: t("members.loginName"), value: created.email || created.phone || "", testid: "initial-login" }),
          copyField({ label: t("members.initialPassword"), value: created.initial_password, testid: "initial-password" }),
          h("p", { class: "hint" }, t("members.passwordOnce")),
          h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-primary", "data-testid": "initial-password-done", onclick: () => close() }, t("common.done"))),
        ),
    });
  }

  search.addEventListener(
    "input",
    debounce(() => {
      view.q = search.value.trim();
      load();
    }, 250),
  );
  more.addEventListener("click", () => load({ append: true }));

  await loadTree();
  await load();

  const reloadAll = debounce(async () => {
    await loadTree().catch(() => {});
    load();
  }, 300);
  ctx.on("member.added", reloadAll);
  ctx.on("member.updated", (event) => {
    const m = event.data?.member;
    const existing = m && tbody.querySelector(`[data-member-id="${CSS.escape(m.id)}"]`);
    if (existing && (m.status === "active" || view.includeDeactivated)) existing.replaceWith(row(m));
    else reloadAll();
  });
  ctx.on("department.created", reloadAll);
  ctx.on("department.updated", reloadAll);
  ctx.on("department.deleted", reloadAll);
}
