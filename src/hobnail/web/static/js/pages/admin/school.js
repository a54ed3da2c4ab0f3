// /admin/school: make the organisation a school (or a company again while it has no
// grades); grades and their classes — create, rename, order (up/down), delete — with a link
// to each class's teachers, roster, import and join codes. Live: other admins' changes.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, field, formError, formValues, showError, busy, toast, confirmDialog, dialog, emptyState, loading, debounce, uid } from "../../ui.js";
import { icon } from "../../icons.js";
import { org } from "../../state.js";
import { setSessionOrg, rerender } from "../../app.js";
import { adminFrame } from "./layout.js";
import { checkinAdminCard } from "./school-checkin.js";

/** A one-field dialog (a name). Resolves with the saved result of save(name), or null. */
function nameDialog({ title, label, value = "", testid, save }) {
  let result = null;
  const d = dialog({
    title,
    testid,
    content: (close) => {
      const form = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": `${testid}-form` },
        field({ label, name: "name", required: true, value, testid: `${testid}-name`, attrs: { maxlength: "50" } }),
        formError(),
        h(
          "div",
          { class: "actions" },
          h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")),
          h("button", { type: "submit", class: "btn btn-primary", "data-testid": `${testid}-save` }, t("common.save")),
        ),
      );
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const { name } = formValues(form);
        if (!name) {
          showError(form, { code: "name_required", message: t("error.name_required"), details: {}, field: "name" });
          return;
        }
        busy(form, async () => {
          try {
            result = await save(name);
            close();
          } catch (error) {
            showError(form, error);
          }
        });
      });
      return form;
    },
  });
  return d.closed.then(() => result);
}

/** Adopt the school's state in the session, so the School entry shows (or hides) at once. */
function adoptKind(school) {
  const current = org();
  const kind = school.enabled ? "school" : "company";
  if (!current || current.kind === kind) return false;
  setSessionOrg({ id: current.id, kind });
  return true;
}

export async function render(ctx) {
  const content = adminFrame(ctx, "school");
  const stateBox = h("section", { class: "card", "aria-labelledby": "school-state-h", "data-testid": "school-state" }, loading());
  const gradesBox = h("div", { "data-testid": "school-grades" });
  const gradesCard = h(
    "section",
    { class: "card", "aria-labelledby": "school-grades-h", hidden: true, "data-testid": "school-grades-card" },
    h("h2", { id: "school-grades-h" }, t("schoolAdmin.gradesTitle")),
    h("p", { class: "muted small" }, t("schoolAdmin.gradesHelp")),
    gradeForm(),
    gradesBox,
  );
  const checkins = checkinAdminCard();
  content.append(stateBox, gradesCard, checkins.el);

  let school = null;

  async function setEnabled(enabled) {
    if (!enabled) {
      const ok = await confirmDialog({ title: t("schoolAdmin.disableTitle"), message: t("schoolAdmin.disableText"), confirmLabel: t("schoolAdmin.disable"), danger: true });
      if (!ok) return;
    }
    try {
      const updated = await api.put("/school", { enabled });
      toast(enabled ? t("schoolAdmin.enabled") : t("schoolAdmin.disabled"), { type: "success" });
      if (adoptKind(updated)) rerender({ rebuildShell: true });
      else load();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  function drawState() {
    const s = school;
    clear(
      stateBox,
      h("h2", { id: "school-state-h" }, t("schoolAdmin.stateTitle")),
      s.enabled
        ? [
            h("p", { "data-testid": "school-enabled" }, h("span", { class: "tag tag-ok" }, t("schoolAdmin.isSchool")), " ", t("school.counts", { grades: s.grade_count, classes: s.class_count, students: s.student_count })),
            h("p", { class: "muted small" }, t("schoolAdmin.homeHint"), " ", h("a", { href: "/school", "data-testid": "school-home-link" }, t("nav.school"))),
            s.grade_count === 0
              ? h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-danger-outline", "data-testid": "school-disable", onclick: () => setEnabled(false) }, t("schoolAdmin.disable")))
              : null,
          ]
        : [
            h("p", { "data-testid": "school-disabled" }, t("schoolAdmin.notSchool")),
            h("p", { class: "muted small" }, t("schoolAdmin.enableHelp")),
            h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-primary", "data-testid": "school-enable", onclick: () => setEnabled(true) }, t("schoolAdmin.enable"))),
          ],
    );
    gradesCard.hidden = !s.enabled;
    if (!s.enabled) checkins.hide();
  }

  function gradeForm() {
    const form = h(
      "form",
      { class: "inline-form", novalidate: true, "data-testid": "grade-form" },
      field({ label: t("schoolAdmin.newGrade"), name: "name", required: true, testid: "grade-name", attrs: { maxlength: "50", placeholder: t("schoolAdmin.gradePlaceholder") } }),
      h("div", { class: "field field-button" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "grade-create" }, icon("plus", 18), t("schoolAdmin.addGrade"))),
      formError(),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const { name } = formValues(form);
      if (!name) {
        showError(form, { code: "name_required", message: t("error.name_required"), details: {}, field: "name" });
        return;
      }
      busy(form, async () => {
        try {
          await api.post("/school/grades", { name });
          form.reset();
          toast(t("schoolAdmin.gradeCreated", { name }), { type: "success" });
          await load();
        } catch (error) {
          showError(form, error);
        }
      });
    });
    return form;
  }

  // Moving swaps neighbours; positions are rewritten 0..n-1 so ties from old data resolve.
  async function move(list, index, delta, path) {
    const target = index + delta;
    if (target < 0 || target >= list.length) return;
    const order = [...list];
    [order[index], order[target]] = [order[target], order[index]];
    try {
      for (const [i, item] of order.entries()) {
        if (item.position !== i) await api.patch(`${path}/${encodeURIComponent(item.id)}`, { position: i });
      }
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
    await load();
  }

  async function removeGrade(grade) {
    const ok = await confirmDialog({ title: t("schoolAdmin.deleteGradeTitle", { name: grade.name }), message: t("schoolAdmin.deleteGradeText"), confirmLabel: t("common.delete"), danger: true });
    if (!ok) return;
    try {
      await api.del(`/school/grades/${encodeURIComponent(grade.id)}`);
      toast(t("schoolAdmin.gradeDeleted", { name: grade.name }), { type: "success" });
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
    await load();
  }

  async function removeClass(c) {
    const ok = await confirmDialog({ title: t("schoolAdmin.deleteClassTitle", { name: c.name }), message: t("schoolAdmin.deleteClassText"), confirmLabel: t("common.delete"), danger: true });
    if (!ok) return;
    try {
      await api.del(`/school/classes/${encodeURIComponent(c.id)}`);
      toast(t("schoolAdmin.classDeleted", { name: c.name }), { type: "success" });
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
    await load();
  }

  async function renameGrade(grade) {
    const saved = await nameDialog({ title: t("schoolAdmin.renameGradeTitle", { name: grade.name }), label: t("schoolAdmin.gradeName"), value: grade.name, testid: "grade-dialog", save: (name) => api.patch(`/school/grades/${encodeURIComponent(grade.id)}`, { name }) });
    if (saved) await load();
  }

  async function renameClass(c) {
    const saved = await nameDialog({ title: t("schoolAdmin.renameClassTitle", { name: c.name }), label: t("schoolAdmin.className"), value: c.name, testid: "class-dialog", save: (name) => api.patch(`/school/classes/${encodeURIComponent(c.id)}`, { name }) });
    if (saved) await load();
  }

  async function addClass(grade) {
    const saved = await nameDialog({ title: t("schoolAdmin.addClassTo", { name: grade.name }), label: t("schoolAdmin.className"), testid: "class-dialog", save: (name) => api.post("/school/classes", { grade_id: grade.id, name }) });
    if (saved) {
      toast(t("schoolAdmin.classCreated", { name: saved.name }), { type: "success" });
      await load();
    }
  }

  function orderButtons(list, index, path, label, testid) {
    return [
      h("button", { type: "button", class: "icon-btn", "data-testid": `${testid}-up`, disabled: index === 0, "aria-label": t("schoolAdmin.moveUp", { name: label }), onclick: () => move(list, index, -1, path) }, icon("up", 18)),
      h("button", { type: "button", class: "icon-btn", "data-testid": `${testid}-down`, disabled: index === list.length - 1, "aria-label": t("schoolAdmin.moveDown", { name: label }), onclick: () => move(list, index, 1, path) }, icon("down", 18)),
    ];
  }

  function drawGrades(grades, classes) {
    if (!grades.length) return clear(gradesBox, emptyState(t("schoolAdmin.noGrades"), "grades-empty"));
    clear(
      gradesBox,
      h(
        "ul",
        { class: "school-grades" },
        grades.map((g, gi) => {
          const mine = classes.filter((c) => c.grade_id === g.id).sort((a, b) => a.position - b.position);
          const headingId = uid("grade-h");
          return h(
            "li",
            { class: "school-grade", "data-testid": "grade", "data-grade-id": g.id, "aria-labelledby": headingId },
            h(
              "div",
              { class: "school-grade-head" },
              h("h3", { id: headingId, "data-testid": "grade-title" }, g.name),
              h("span", { class: "muted small" }, t("schoolAdmin.classCount", { count: mine.length })),
              h(
                "div",
                { class: "row-actions" },
                orderButtons(grades, gi, "/school/grades", g.name, "grade"),
                h("button", { type: "button", class: "btn btn-small", "data-testid": "grade-rename", "aria-label": t("schoolAdmin.renameGradeTitle", { name: g.name }), onclick: () => renameGrade(g) }, t("schoolAdmin.rename")),
                h("button", { type: "button", class: "btn btn-small btn-danger-outline", "data-testid": "grade-delete", "aria-label": t("schoolAdmin.deleteGradeTitle", { name: g.name }), onclick: () => removeGrade(g) }, t("common.delete")),
                h("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "class-add", "aria-label": t("schoolAdmin.addClassTo", { name: g.name }), onclick: () => addClass(g) }, icon("plus", 16), t("schoolAdmin.addClass")),
              ),
            ),
            mine.length
              ? h(
                  "ul",
                  { class: "school-classes", "aria-label": t("schoolAdmin.classesOf", { name: g.name }) },
                  mine.map((c, ci) =>
                    h(
                      "li",
                      { class: "school-class-row", "data-testid": "class-row", "data-class-id": c.id },
                      h(
                        "div",
                        { class: "school-class-main" },
                        h("a", { href: `/admin/school/classes/${encodeURIComponent(c.id)}`, class: "school-class-name", "data-testid": "class-open" }, c.name),
                        h(
                          "span",
                          { class: "muted small", "data-testid": "class-row-facts" },
                          c.head_teacher ? t("school.headTeacherIs", { name: c.head_teacher.name }) : t("school.noHeadTeacher"),
                          " · ",
                          t("school.studentCount", { count: c.student_count }),
                        ),
                      ),
                      h(
                        "div",
                        { class: "row-actions" },
                        orderButtons(mine, ci, "/school/classes", c.name, "class"),
                        h("button", { type: "button", class: "btn btn-small", "data-testid": "class-rename", "aria-label": t("schoolAdmin.renameClassTitle", { name: c.name }), onclick: () => renameClass(c) }, t("schoolAdmin.rename")),
                        h("button", { type: "button", class: "btn btn-small btn-danger-outline", "data-testid": "class-delete", "aria-label": t("schoolAdmin.deleteClassTitle", { name: c.name }), onclick: () => removeClass(c) }, t("common.delete")),
                      ),
                    ),
                  ),
                )
              : h("p", { class: "muted small school-no-classes" }, t("schoolAdmin.noClasses")),
          );
        }),
      ),
    );
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      school = await api.get("/school");
      if (mine !== seq || !ctx.isCurrent()) return;
      if (adoptKind(school)) return rerender({ rebuildShell: true });
      drawState();
      if (!school.enabled) return;
      const [grades, classes] = await Promise.all([api.get("/school/grades"), api.get("/school/classes")]);
      if (mine !== seq || !ctx.isCurrent()) return;
      drawGrades(grades, classes);
      await checkins.load(grades, classes);
    } catch (error) {
      if (mine === seq) clear(stateBox, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
    }
  }
  const soon = debounce(load, 300);
  for (const type of ["school_grade.created", "school_grade.updated", "school_grade.deleted", "school_class.created", "school_class.updated", "school_class.deleted", "roster.imported"]) ctx.on(type, soon);
  await load();
}
