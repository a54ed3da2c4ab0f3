// /contacts: department tree + paginated member list with search; person card on click.

import { api } from "../api.js";
import { t, errorText } from "../i18n.js";
import { h, clear, avatar, debounce, loading, emptyState, pageHeader, uid, toast } from "../ui.js";
import { icon } from "../icons.js";
import { buildTree, pathName } from "../depts.js";
import { openPersonCard } from "../person.js";

export async function render(ctx) {
  const view = { departmentId: "", q: "", cursor: null, tree: null, seq: 0, collapsed: new Set() };

  const searchId = uid("search");
  const search = h("input", {
    id: searchId,
    type: "search",
    placeholder: t("contacts.searchPlaceholder"),
    autocomplete: "off",
    "data-testid": "contacts-search",
  });
  const treeBox = h("div", { class: "tree", "data-testid": "department-tree" });
  const heading = h("h2", { class: "list-title", "data-testid": "member-list-title" });
  const list = h("ul", { class: "member-list", "data-testid": "member-list", "aria-labelledby": "" });
  const more = h("button", { type: "button", class: "btn btn-block", hidden: true, "data-testid": "load-more" }, t("contacts.loadMore"));
  const status = h("p", { class: "sr-only", role: "status", "aria-live": "polite" });
  heading.id = uid("list-title");
  list.setAttribute("aria-labelledby", heading.id);

  const treeDetails = h(
    "details",
    { class: "tree-panel", open: true },
    h("summary", { "data-testid": "tree-toggle" }, t("contacts.departments")),
    treeBox,
  );

  ctx.main.append(
    pageHeader(t("nav.contacts")),
    h(
      "div",
      { class: "contacts" },
      h("aside", { class: "card contacts-tree", "aria-label": t("contacts.departments") }, treeDetails),
      h(
        "section",
        { class: "card contacts-list" },
        h("div", { class: "search" }, h("label", { for: searchId, class: "sr-only" }, t("contacts.search")), icon("search", 18), search),
        heading,
        list,
        more,
        status,
      ),
    ),
  );
  // On phones the tree starts collapsed above the list.
  if (window.matchMedia("(max-width: 720px)").matches) treeDetails.open = false;

  function renderTree() {
    const { roots, byId } = view.tree;
    const item = (node, depth) => {
      const hasChildren = node.children.length > 0;
      const collapsed = view.collapsed.has(node.id);
      const li = h(
        "li",
        {},
        h(
          "div",
          { class: "tree-row", style: `--depth:${depth}` },
          hasChildren
            ? h(
                "button",
                {
                  type: "button",
                  class: `tree-toggle${collapsed ? " collapsed" : ""}`,
                  "aria-expanded": String(!collapsed),
                  "aria-label": t(collapsed ? "contacts.expand" : "contacts.collapse", { name: node.name }),
                  onclick: () => {
                    if (collapsed) view.collapsed.delete(node.id);
                    else view.collapsed.add(node.id);
                    renderTree();
                  },
                },
                icon("chevron", 16),
              )
            : h("span", { class: "tree-toggle-space" }),
          h(
            "button",
            {
              type: "button",
              class: "tree-item",
              "aria-current": view.departmentId === node.id ? "true" : null,
              "data-testid": "department-item",
              "data-department-id": node.id,
              onclick: () => selectDepartment(node.id),
            },
            h("span", { class: "tree-name" }, node.name),
            h("span", { class: "count", "aria-label": t("contacts.memberCount", { count: node.member_count }) }, String(node.member_count)),
          ),
        ),
        hasChildren && !collapsed ? h("ul", {}, node.children.map((c) => item(c, depth + 1))) : null,
      );
      return li;
    };
    clear(
      treeBox,
      h(
        "ul",
        {},
        h(
          "li",
          {},
          h(
            "div",
            { class: "tree-row", style: "--depth:0" },
            h("span", { class: "tree-toggle-space" }),
            h(
              "button",
              { type: "button", class: "tree-item", "aria-current": view.departmentId ? null : "true", "data-testid": "department-all", onclick: () => selectDepartment("") },
              h("span", { class: "tree-name" }, t("contacts.allMembers")),
            ),
          ),
        ),
        roots.map((n) => item(n, 0)),
      ),
    );
    heading.textContent = view.q
      ? t("contacts.resultsFor", { q: view.q })
      : view.departmentId
        ? pathName(byId, view.departmentId) || t("contacts.allMembers")
        : t("contacts.allMembers");
  }

  function memberRow(member) {
    const { byId } = view.tree;
    const depts = member.department_ids.map((id) => byId.get(id)?.name).filter(Boolean).join(t("common.listSep"));
    return h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "member-row",
          "data-testid": "member-row",
          "data-member-id": member.id,
          onclick: () => openPersonCard(member, byId),
        },
        avatar(member),
        h(
          "span",
          { class: "member-main" },
          h("span", { class: "member-name" }, member.name, member.role !== "member" ? h("span", { class: `tag role-${member.role}` }, t(`role.${member.role}`)) : null),
          h("span", { class: "member-sub" }, [member.title, depts].filter(Boolean).join(" · ")),
        ),
      ),
    );
  }

  async function loadMembers({ append = false } = {}) {
    const seq = ++view.seq;
    if (!append) {
      view.cursor = null;
      clear(list, h("li", {}, loading()));
    }
    more.hidden = true;
    try {
      const page = await api.get("/members", {
        q: view.q || undefined,
        department_id: view.departmentId || undefined,
        recursive: view.departmentId ? "true" : undefined,
        cursor: append ? view.cursor : undefined,
        limit: 30,
      });
      if (seq !== view.seq) return;
      if (!append) clear(list);
      list.append(...page.items.map(memberRow));
      if (!list.children.length) list.append(h("li", {}, emptyState(view.q ? t("contacts.noResults") : t("contacts.empty"), "member-list-empty")));
      view.cursor = page.next_cursor;
      more.hidden = !page.next_cursor;
      status.textContent = t("contacts.shown", { count: list.querySelectorAll("[data-testid=member-row]").length });
    } catch (error) {
      if (seq !== view.seq) return;
      if (!append) clear(list);
      toast(errorText(error), { type: "error" });
    }
  }

  async function loadTree() {
    view.tree = buildTree(await api.get("/departments"));
    if (view.departmentId && !view.tree.byId.has(view.departmentId)) view.departmentId = "";
    renderTree();
  }

  function selectDepartment(id) {
    view.departmentId = id;
    if (view.q) {
      view.q = "";
      search.value = "";
    }
    renderTree();
    loadMembers();
    if (window.matchMedia("(max-width: 720px)").matches) treeDetails.open = false;
  }

  search.addEventListener(
    "input",
    debounce(() => {
      view.q = search.value.trim();
      renderTree();
      loadMembers();
    }, 250),
  );
  more.addEventListener("click", () => loadMembers({ append: true }));

  await loadTree();
  await loadMembers();

  // Live updates: departments and members change under us.
  const reloadTree = debounce(() => loadTree().catch(() => {}), 300);
  const reloadMembers = debounce(() => loadMembers(), 300);
  ctx.on("department.created", reloadTree);
  ctx.on("department.updated", reloadTree);
  ctx.on("department.deleted", reloadTree);
  ctx.on("member.added", () => {
    reloadTree();
    reloadMembers();
  });
  ctx.on("member.updated", (event) => {
    reloadTree();
    const member = event.data?.member;
    const existing = member && list.querySelector(`[data-member-id="${CSS.escape(member.id)}"]`);
    if (existing && member.status === "active") existing.closest("li").replaceWith(memberRow(member));
    else reloadMembers();
  });
}
