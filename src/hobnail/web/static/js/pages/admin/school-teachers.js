// Admin → School → class: the teachers dialog. One head teacher (班主任) and one teacher per
// subject, chosen from the staff directory with the people picker; saving replaces both.

import { api } from "../../api.js";
import { t } from "../../i18n.js";
import { h, dialog, formError, showError, busy, toast, uid } from "../../ui.js";
import { peoplePicker } from "../approvals/people.js";
import { rememberPeople } from "../messages/store.js";

/** Resolves with the updated class, or null when cancelled. */
export function teachersDialog(schoolClass) {
  rememberPeople([schoolClass.head_teacher, ...(schoolClass.subject_teachers || []).map((s) => ({ id: s.user_id, name: s.name }))].filter(Boolean));
  let saved = null;
  const d = dialog({
    title: t("schoolAdmin.teachersOf", { name: schoolClass.name }),
    testid: "teachers-dialog",
    wide: true,
    content: (close) => {
      const head = peoplePicker({
        name: "head_teacher_id",
        label: t("school.headTeacher"),
        single: true,
        initial: schoolClass.head_teacher ? [schoolClass.head_teacher.id] : [],
        testid: "class-head-teacher",
        hint: t("schoolAdmin.headTeacherHint"),
      });
      const rows = h("ul", { class: "school-subject-rows", "data-testid": "subject-teachers" });
      const pickers = [];

      function addRow(subject = "", userId = null) {
        const subjectId = uid("subject");
        const picker = peoplePicker({ name: "subject_teachers", label: t("schoolAdmin.subjectTeacher"), single: true, initial: userId ? [userId] : [], testid: "subject-teacher" });
        const input = h("input", { id: subjectId, type: "text", name: "subject", maxlength: "30", value: subject, "data-testid": "subject-name", placeholder: t("schoolAdmin.subjectPlaceholder") });
        const entry = { input, picker };
        const li = h(
          "li",
          { class: "school-subject-row", "data-testid": "subject-teacher-row" },
          h("div", { class: "field" }, h("label", { for: subjectId }, t("schoolAdmin.subject")), input),
          picker.el,
          h(
            "button",
            {
              type: "button",
              class: "btn btn-small btn-danger-outline",
              "data-testid": "subject-teacher-remove",
              "aria-label": t("schoolAdmin.removeSubject"),
              onclick: () => {
                pickers.splice(pickers.indexOf(entry), 1);
                li.remove();
              },
            },
            t("schoolAdmin.removeSubject"),
          ),
        );
        pickers.push(entry);
        rows.append(li);
        return input;
      }
      for (const s of schoolClass.subject_teachers || []) addRow(s.subject, s.user_id);

      const form = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": "teachers-form" },
        head.el,
        h(
          "fieldset",
          { class: "school-fieldset" },
          h("legend", {}, t("schoolAdmin.subjectTeachers")),
          rows,
          h("button", { type: "button", class: "btn btn-small", "data-testid": "subject-teacher-add", onclick: () => addRow().focus() }, t("schoolAdmin.addSubject")),
        ),
        formError(),
        h(
          "div",
          { class: "actions" },
          h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")),
          h("button", { type: "submit", class: "btn btn-primary", "data-testid": "teachers-save" }, t("common.save")),
        ),
      );
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const subjectTeachers = [];
        for (const { input, picker } of pickers) {
          const subject = input.value.trim();
          const [userId] = picker.ids();
          if (!subject && !userId) continue;
          if (!subject || !userId) {
            showError(form, { code: "subject_incomplete", message: t("schoolAdmin.subjectIncomplete"), details: {} });
            return;
          }
          subjectTeachers.push({ subject, user_id: userId });
        }
        busy(form, async () => {
          try {
            saved = await api.put(`/school/classes/${encodeURIComponent(schoolClass.id)}/teachers`, { head_teacher_id: head.ids()[0] || null, subject_teachers: subjectTeachers });
            toast(t("schoolAdmin.teachersSaved"), { type: "success" });
            close();
          } catch (error) {
            showError(form, error);
          }
        });
      });
      return form;
    },
  });
  return d.closed.then(() => saved);
}
