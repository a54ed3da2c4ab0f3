// One class, as admins (Admin → School) and its teachers (School → My classes) see it:
// the class and its teachers (admins edit them), the roster, the roster import (admins and
// the head teacher) and the join codes (admins and the class's teachers). Live: roster and
// class events reload what they change.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, debounce, uid } from "../../ui.js";
import { classRoles, teachersLine, className } from "./common.js";
import { rosterSection, importSection } from "./roster.js";
import { codesSection } from "./codes.js";
import { teachersDialog } from "../admin/school-teachers.js";

/** Renders the class into `container`. Returns false when the class cannot be loaded. */
export async function renderClass(ctx, container, classId) {
  container.append(loading());
  let schoolClass;
  try {
    schoolClass = await api.get(`/school/classes/${encodeURIComponent(classId)}`);
  } catch (error) {
    clear(container, h("p", { class: "notice notice-error", role: "alert", "data-testid": "class-not-found" }, errorText(error)));
    return false;
  }
  if (!ctx.isCurrent()) return false;
  const roles = classRoles(schoolClass);
  const summaryId = uid("class-h");
  const summary = h("section", { class: "card school-class-summary", "aria-labelledby": summaryId, "data-testid": "class-summary", "data-class-id": schoolClass.id });

  function drawSummary() {
    const myRoles = [roles.head ? t("school.headTeacher") : null, ...roles.subjects].filter(Boolean);
    clear(
      summary,
      h(
        "div",
        { class: "card-head school-card-head" },
        h("h2", { id: summaryId, "data-testid": "class-title" }, className(schoolClass)),
        roles.admin ? h("button", { type: "button", class: "btn btn-small", "data-testid": "class-teachers-edit", onclick: editTeachers }, t("schoolAdmin.editTeachers")) : null,
      ),
      h(
        "dl",
        { class: "kvs" },
        h("div", { class: "kv" }, h("dt", {}, t("school.headTeacher")), h("dd", { "data-testid": "class-head-teacher-name" }, schoolClass.head_teacher ? schoolClass.head_teacher.name : h("span", { class: "muted" }, t("school.noHeadTeacher")))),
        h(
          "div",
          { class: "kv" },
          h("dt", {}, t("school.subjectTeachers")),
          h(
            "dd",
            { "data-testid": "class-subject-teachers" },
            schoolClass.subject_teachers.length ? schoolClass.subject_teachers.map((s) => `${s.subject}: ${s.name}`).join(t("common.listSep")) : h("span", { class: "muted" }, t("school.noSubjectTeachers")),
          ),
        ),
        h("div", { class: "kv" }, h("dt", {}, t("school.students")), h("dd", { "data-testid": "class-student-count" }, String(schoolClass.student_count))),
        myRoles.length ? h("div", { class: "kv" }, h("dt", {}, t("school.myRoles")), h("dd", {}, myRoles.join(t("common.listSep")))) : null,
      ),
    );
  }

  async function editTeachers() {
    const updated = await teachersDialog(schoolClass);
    if (updated) {
      schoolClass = updated;
      drawSummary();
    }
  }

  async function refreshClass() {
    try {
      const fresh = await api.get(`/school/classes/${encodeURIComponent(classId)}`);
      if (!ctx.isCurrent()) return;
      schoolClass = fresh;
      drawSummary();
    } catch {
      /* the class may be gone; the next navigation says so */
    }
  }

  drawSummary();
  const roster = rosterSection(schoolClass, roles, { onChange: refreshClass });
  clear(
    container,
    summary,
    roster.el,
    roles.manage ? importSection(schoolClass, { onImported: () => (roster.reload(), refreshClass()) }) : null,
    roles.teach ? codesSection(schoolClass) : null,
  );

  const reload = debounce(() => {
    roster.reload();
    refreshClass();
  }, 300);
  const mine = (frame) => {
    const d = frame.data || {};
    return d.class_id === classId || d.student?.class_id === classId || d.school_class?.id === classId;
  };
  for (const type of ["roster.imported", "student.enrolled", "student.updated", "student.withdrawn", "guardian.joined", "school_class.updated"]) {
    ctx.on(type, (frame) => mine(frame) && reload());
  }
  return true;
}
