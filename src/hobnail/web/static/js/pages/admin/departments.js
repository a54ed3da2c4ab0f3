// /admin/departments: tree with create, rename, move, reorder and delete.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, field, formError, formValues, showError, busy, toast, dialog, confirmDialog, debounce, emptyState } from "../../ui.js";
import { icon } from "../../icons.js";
import { buildTree, departmentOptions } from "../../depts.js";
import { adminFrame } from "./layout.js";
import { managersDialog } from "./managers.js";
import { personName, ensurePeople } from "../approvals/people.js";

export async function render(ctx) {
  let tree = { roots: [], byId: new Map() };
  const newButton = h("button", { type: "button", class: "btn btn-primary", "data-testid": "department-new", onclick: () => createDialog(null) }, icon("plus", 18), t("departments.new"));
  const content = adminFrame(ctx, "departments", newButton);
  const box = h("div", { class: "dept-admin", "data-testid": "admin-department-tree" });
  content.append(h("section", { class: "card" }, h("p", { class: "muted" }, t("departments.help")), box));

  async function load() {
    const list = await api.get("/departments");
    await ensurePeople(list.flatMap((d) => d.manager_ids || []));
    tree = buildTree(list);
    draw();
  }

  async function act(fn, okText) {
    try {
      await fn();
      if (okText) toast(okText, { type: "success" });
      await load();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  function draw() {
    if (!tree.roots.length) {
      clear(box, emptyState(t("departments.empty"), "departments-empty"));
      return;
    }
    const rows = (nodes, depth) =>
      nodes.map((node, index) =>
        h(
          "li",
          { "data-testid": "admin-department", "data-department-id": node.id },
          h(
            "div",
            { class: "dept-row", style: `--depth:${depth}` },
            h("span", { class: "dept-name" }, icon("folder", 18), h("span", { "data-testid": "admin-department-name" }, node.name), h("span", { class: "count" }, t("departments.members", { count: node.member_count })),
              (node.manager_ids || []).length
                ? h("span", { class: "tag", "data-testid": "department-manager-names" }, t("departments.managedBy", { names: node.manager_ids.map(personName).join(t("common.listSep")) }))
                : null,
            ),
            h(
              "div",
              { class: "row-actions" },
              h("button", { type: "button", class: "icon-btn", "aria-label": t("departments.moveUp", { name: node.name }), disabled: index === 0, "data-testid": "department-up", onclick: () => act(() => api.patch(`/departments/${node.id}`, { position: index - 1 })) }, icon("up", 18)),
              h("button", { type: "button", class: "icon-btn", "aria-label": t("departments.moveDown", { name: node.name }), disabled: index === nodes.length - 1, "data-testid": "department-down", onclick: () => act(() => api.patch(`/departments/${node.id}`, { position: index + 1 })) }, icon("down", 18)),
              h("button", { type: "button", class: "btn btn-small", "aria-label": t("departments.addChildOf", { name: node.name }), "data-testid": "department-add-child", onclick: () => createDialog(node.id) }, t("departments.addChild")),
              h("button", { type: "button", class: "btn btn-small", "aria-label": t("departments.managersOf", { name: node.name }), "data-testid": "department-managers", onclick: async () => (await managersDialog(node)) && load() }, t("departments.managers")),
              h("button", { type: "button", class: "btn btn-small", "aria-label": t("departments.editOf", { name: node.name }), "data-testid": "department-edit", onclick: () => editDialog(node) }, t("common.edit")),
              h("button", { type: "button", class: "btn btn-small btn-danger-outline", "aria-label": t("departments.deleteOf", { name: node.name }), "data-testid": "department-delete", onclick: () => remove(node) }, t("common.delete")),
            ),
          ),
          node.children.length ? h("ul", {}, rows(node.children, depth + 1)) : null,
        ),
      );
    clear(box, h("ul", { class: "dept-tree" }, rows(tree.roots, 0)));
  }

  function createDialog(parentId) {
    dialog({
      title: t("departments.new"),
      testid: "department-dialog",
      content: (close) => {
        const form = h(
          "form",
          { class: "stack", novalidate: true, "data-testid": "department-form" },
          field({ label: t("common.name"), name: "name", required: true, testid: "department-name" }),
          field({ label: t("departments.parent"), name: "parent_id", type: "select", value: parentId || "", options: departmentOptions(tree.roots, { emptyLabel: t("departments.topLevel") }), testid: "department-parent" }),
          formError(),
          h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")), h("button", { type: "submit", class: "btn btn-primary", "data-testid": "department-save" }, t("common.create"))),
        );
        form.addEventListener("submit", (e) => {
          e.preventDefault();
          const v = formValues(form);
          busy(form, async () => {
            try {
              await api.post("/departments", { name: v.name, parent_id: v.parent_id || null });
              close(true);
              toast(t("departments.created"), { type: "success" });
              await load();
            } catch (error) {
              showError(form, error);
            }
          });
        });
        return form;
      },
    });
  }

  function editDialog(node) {
    dialog({
      title: t("departments.editTitle", { name: node.name }),
      testid: "department-dialog",
      content: (close) => {
        const currentParent = node.parent_id || "";
        const form = h(
          "form",
          { class: "stack", novalidate: true, "data-testid": "department-form" },
          field({ label: t("common.name"), name: "name", value: node.name, required: true, testid: "department-name" }),
          field({
            label: t("departments.parent"),
            name: "parent_id",
            type: "select",
            value: currentParent,
            // The node itself is excluded; descendants stay so the server's cycle check can speak.
            options: departmentOptions(tree.roots, { emptyLabel: t("departments.topLevel"), excludeId: node.id }),
            testid: "department-parent",
            hint: t("departments.moveHint"),
          }),
          formError(),
          h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")), h("button", { type: "submit", class: "btn btn-primary", "data-testid": "department-save" }, t("common.save"))),
        );
        form.addEventListener("submit", (e) => {
          e.preventDefault();
          const v = formValues(form);
          const body = {};
          if (v.name !== node.name) body.name = v.name;
          if (v.parent_id !== currentParent) {
            if (v.parent_id) body.parent_id = v.parent_id;
            else body.move_to_top = true;
          }
          if (!Object.keys(body).length) return close();
          busy(form, async () => {
            try {
              await api.patch(`/departments/${node.id}`, body);
              close(true);
              toast(t("common.saved"), { type: "success" });
              await load();
            } catch (error) {
              showError(form, error);
            }
          });
        });
        return form;
      },
    });
  }

  async function remove(node) {
    const ok = await confirmDialog({
      title: t("departments.deleteTitle"),
      message: t("departments.deleteConfirm", { name: node.name }),
      confirmLabel: t("common.delete"),
      danger: true,
    });
    if (ok) act(() => api.del(`/departments/${node.id}`), t("departments.deleted"));
  }

  await load();
  const reload = debounce(() => load().catch(() => {}), 300);
  ctx.on("department.created", reload);
  ctx.on("department.updated", reload);
  ctx.on("department.deleted", reload);
  ctx.on("member.added", reload);
  ctx.on("member.updated", reload);
}
