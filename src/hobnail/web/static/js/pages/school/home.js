// /school (家校): the school home. Teachers see "My classes" (each with its roles and a link
// to its roster and join codes), guardians "My children" (each child and their class).
//
// The page is a list of sections. Notices, homework and check-ins add theirs with
// addHomeSection({id, order, render}) from their own module (install them in main.js);
// render(ctx, home) returns a Node (or null to show nothing) and may be async. `home` is
// GET /school/me. Built-in orders: my children 10, my classes 20, school overview 90.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, emptyState, debounce, uid } from "../../ui.js";
import { org } from "../../state.js";
import { relationLabel, teachersLine, className } from "./common.js";

const sections = [];

/** Register a section of the school home (see the header of this module). */
export function addHomeSection(section) {
  const i = sections.findIndex((s) => s.id === section.id);
  if (i >= 0) sections.splice(i, 1);
  sections.push({ order: 50, ...section });
  sections.sort((a, b) => a.order - b.order);
}

function section(id, title, testid, ...children) {
  return h("section", { class: "card school-section", "aria-labelledby": id, "data-testid": testid }, h("h2", { id }, title), children);
}

function childrenSection(ctx, home) {
  if (!home.children.length) return null;
  const id = uid("children-h");
  // A student's own account answers for themselves: "Me", not "My children".
  const onlyMe = home.children.every((child) => child.is_me);
  return section(
    id,
    t(onlyMe ? "school.me" : "school.myChildren"),
    "school-children",
    h(
      "ul",
      { class: "school-tiles" },
      home.children.map((child) =>
        h(
          "li",
          { class: "school-tile", "data-testid": "school-child", "data-student-id": child.id },
          h("h3", { class: "school-tile-title", "data-testid": "school-child-name" }, child.name),
          child.is_me ? h("p", { class: "muted small", "data-testid": "school-child-me" }, t("school.thisIsYou")) : null,
          h("p", { class: "school-tile-sub", "data-testid": "school-child-class" }, child.class ? className(child.class) : t("school.noClass")),
          h(
            "dl",
            { class: "kvs school-tile-facts" },
            child.relation ? h("div", { class: "kv" }, h("dt", {}, t("school.relation")), h("dd", { "data-testid": "school-child-relation" }, relationLabel(child.relation))) : null,
            h("div", { class: "kv" }, h("dt", {}, t("school.studentNo")), h("dd", {}, child.student_no)),
            child.class?.head_teacher ? h("div", { class: "kv" }, h("dt", {}, t("school.headTeacher")), h("dd", { "data-testid": "school-child-head-teacher" }, child.class.head_teacher.name)) : null,
          ),
        ),
      ),
    ),
  );
}

function classesSection(ctx, home) {
  if (!home.teaching.length && home.children.length) return null;
  const id = uid("classes-h");
  if (!home.teaching.length) {
    return section(id, t("school.myClasses"), "school-classes", emptyState(home.is_admin ? t("school.noClassesAdmin") : t("school.noClasses"), "school-classes-empty"), home.is_admin ? h("a", { href: "/admin/school", class: "btn", "data-testid": "school-setup-link" }, t("school.setupLink")) : null);
  }
  return section(
    id,
    t("school.myClasses"),
    "school-classes",
    h(
      "ul",
      { class: "school-tiles" },
      home.teaching.map((c) => {
        const roles = (c.my_roles || []).map((r) => (r === "head_teacher" ? t("school.headTeacher") : r));
        return h(
          "li",
          { class: "school-tile", "data-testid": "school-class", "data-class-id": c.id },
          h("h3", { class: "school-tile-title" }, h("a", { href: `/school/classes/${encodeURIComponent(c.id)}`, "data-testid": "school-class-link" }, className(c))),
          h("p", { class: "school-tile-sub" }, roles.map((r) => h("span", { class: "tag tag-info", "data-testid": "school-class-role" }, r))),
          h("p", { class: "muted small" }, t("school.studentCount", { count: c.student_count }), teachersLine(c) ? ` · ${teachersLine(c)}` : ""),
          h(
            "div",
            { class: "row-actions" },
            h("a", { href: `/school/classes/${encodeURIComponent(c.id)}`, class: "btn btn-small", "data-testid": "school-class-open", "aria-label": t("school.openClassOf", { name: c.name }) }, t("school.openClass")),
          ),
        );
      }),
    ),
  );
}

function overviewSection(ctx, home) {
  if (!home.is_admin) return null;
  const s = home.school;
  const id = uid("overview-h");
  return section(
    id,
    t("school.overview"),
    "school-overview",
    h("p", {}, t("school.counts", { grades: s.grade_count, classes: s.class_count, students: s.student_count })),
    h("a", { href: "/admin/school", class: "btn", "data-testid": "school-setup-link" }, t("school.setupLink")),
  );
}

addHomeSection({ id: "children", order: 10, render: childrenSection });
addHomeSection({ id: "classes", order: 20, render: classesSection });
addHomeSection({ id: "overview", order: 90, render: overviewSection });

export async function render(ctx) {
  const body = h("div", { class: "school-home", "data-testid": "school-home" }, loading());
  ctx.main.append(
    h("div", { class: "page-head" }, h("h1", {}, t("nav.school")), h("p", { class: "muted school-name", "data-testid": "school-name" }, org()?.name || "")),
    body,
  );

  let seq = 0;
  async function load() {
    const mine = ++seq;
    let home;
    try {
      home = await api.get("/school/me");
    } catch (error) {
      if (mine === seq && ctx.isCurrent()) clear(body, h("p", { class: "notice notice-error", role: "alert", "data-testid": "school-error" }, errorText(error)));
      return;
    }
    const nodes = [];
    for (const s of sections) {
      try {
        nodes.push(await s.render(ctx, home));
      } catch (error) {
        console.warn("school home section failed", s.id, error);
      }
    }
    if (mine !== seq || !ctx.isCurrent()) return;
    const shown = nodes.filter(Boolean);
    clear(body, shown.length ? shown : h("section", { class: "card" }, emptyState(t("school.nothingYet"), "school-empty")));
  }
  const soon = debounce(load, 300);
  for (const type of ["guardian.joined", "roster.imported", "school_class.updated", "school_class.created", "school_class.deleted", "student.enrolled", "student.withdrawn"]) ctx.on(type, soon);
  await load();
}
