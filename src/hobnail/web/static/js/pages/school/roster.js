// A class's roster (students with their number and guardians: relation, masked number,
// joined or not), adding and withdrawing a student, and the roster import from XLSX/CSV:
// template download, upload with progress, a check (dry run) whose per-row errors are a
// table, then the import. Used by Admin → School → class and by a teacher's class page.

import { api, upload } from "../../api.js";
import { t, errorText, has } from "../../i18n.js";
import { h, clear, field, formError, formValues, showError, clearErrors, busy, toast, confirmDialog, dialog, emptyState, loading, uid, checkbox, formatDateTime } from "../../ui.js";
import { RELATIONS, relationLabel, maskPhone, formatPhone } from "./common.js";

// The template's headers (Chinese; the import also takes English ones).
const COLUMNS = [
  ["student_name", "学生姓名"],
  ["student_no", "学号"],
  ["guardian_name", "家长姓名"],
  ["guardian_phone", "家长手机"],
  ["relation", "关系"],
  ["guardian2_name", "家长2姓名"],
  ["guardian2_phone", "家长2手机"],
  ["relation2", "家长2关系"],
];

function columnLabel(name) {
  const key = `school.col.${name}`;
  return name && has(key) ? t(key) : name || "";
}

function rowProblem(r) {
  const key = `school.rowError.${r.code}`;
  return has(key) ? t(key) : errorText(r);
}

/**
 * The roster card. roles: classRoles(class). Returns {el, reload}. onChange() after the
 * roster changed here (so the page can refresh its counts).
 */
export function rosterSection(schoolClass, roles, { onChange = () => {} } = {}) {
  const classId = schoolClass.id;
  const box = h("div", { "data-testid": "roster" }, loading());
  const headingId = uid("roster-h");
  let showFull = false;
  let students = [];
  const phoneToggle = roles.teach
    ? checkbox({
        label: t("school.showNumbers"),
        name: "show_numbers",
        testid: "roster-show-numbers",
        onchange: (e) => {
          showFull = e.target.checked;
          draw();
        },
      })
    : null;
  const addButton = roles.manage
    ? h("button", { type: "button", class: "btn btn-small", "data-testid": "student-add", onclick: () => addStudentDialog(classId).then((ok) => ok && (reload(), onChange())) }, t("school.addStudent"))
    : null;

  function guardianLine(g) {
    const phone = g.phone ? (showFull ? formatPhone(g.phone) : maskPhone(g.phone)) : "";
    return h(
      "li",
      { class: "school-guardian", "data-testid": "roster-guardian", "data-guardian-id": g.id },
      h("span", { class: "school-guardian-name" }, g.name),
      h("span", { class: "tag", "data-testid": "roster-relation" }, relationLabel(g.relation)),
      phone ? h("span", { class: "school-phone", "data-testid": "roster-phone" }, phone) : null,
      g.joined
        ? h("span", { class: "tag tag-ok", "data-testid": "roster-joined", title: g.joined_at ? formatDateTime(g.joined_at) : null }, t("school.joined"))
        : h("span", { class: "tag tag-muted", "data-testid": "roster-not-joined" }, t("school.notJoined")),
    );
  }

  async function withdraw(student) {
    const ok = await confirmDialog({ title: t("school.withdrawTitle", { name: student.name }), message: t("school.withdrawText"), confirmLabel: t("school.withdraw"), danger: true });
    if (!ok) return;
    try {
      await api.del(`/school/students/${encodeURIComponent(student.id)}`);
      toast(t("school.withdrawn", { name: student.name }), { type: "success" });
      reload();
      onChange();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  function draw() {
    if (!students.length) return clear(box, emptyState(roles.teach ? t("school.rosterEmpty") : t("school.rosterEmptyGuardian"), "roster-empty"));
    clear(
      box,
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "table school-roster", "data-testid": "roster-table" },
          h("caption", { class: "sr-only" }, t("school.rosterOf", { name: schoolClass.name })),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, t("school.studentNo")),
              h("th", { scope: "col" }, t("school.studentName")),
              h("th", { scope: "col" }, t("school.guardians")),
              roles.manage ? h("th", { scope: "col" }, h("span", { class: "sr-only" }, t("common.actions"))) : null,
            ),
          ),
          h(
            "tbody",
            {},
            students.map((s) =>
              h(
                "tr",
                { "data-testid": "roster-row", "data-student-id": s.id },
                h("td", { "data-testid": "roster-student-no" }, s.student_no),
                h("th", { scope: "row", "data-testid": "roster-student-name" }, s.name),
                h("td", {}, s.guardians.length ? h("ul", { class: "school-guardians" }, s.guardians.map(guardianLine)) : h("span", { class: "muted small" }, t("school.noGuardians"))),
                roles.manage
                  ? h(
                      "td",
                      { class: "cell-actions" },
                      h("button", { type: "button", class: "btn btn-small btn-danger-outline", "data-testid": "student-withdraw", "aria-label": t("school.withdrawTitle", { name: s.name }), onclick: () => withdraw(s) }, t("school.withdraw")),
                    )
                  : null,
              ),
            ),
          ),
        ),
      ),
    );
  }

  let seq = 0;
  async function reload() {
    const mine = ++seq;
    try {
      const list = await api.get(`/school/classes/${encodeURIComponent(classId)}/students`);
      if (mine !== seq) return;
      students = list;
      draw();
    } catch (error) {
      if (mine === seq) clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }

  const el = h(
    "section",
    { class: "card", "aria-labelledby": headingId, "data-testid": "roster-card" },
    h("div", { class: "card-head school-card-head" }, h("h2", { id: headingId }, t("school.roster")), h("div", { class: "row-actions" }, phoneToggle, addButton)),
    roles.teach ? h("p", { class: "muted small" }, t("school.rosterHelp")) : null,
    box,
  );
  reload();
  return { el, reload };
}

/** Enrol one student with (optionally) one guardian. Resolves true when saved. */
function addStudentDialog(classId) {
  const d = dialog({
    title: t("school.addStudent"),
    testid: "student-dialog",
    content: (close) => {
      const form = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": "student-form" },
        h(
          "div",
          { class: "grid-2" },
          field({ label: t("school.studentName"), name: "name", required: true, testid: "student-name" }),
          field({ label: t("school.studentNo"), name: "student_no", required: true, testid: "student-no" }),
        ),
        h(
          "fieldset",
          { class: "school-fieldset" },
          h("legend", {}, t("school.guardianOptional")),
          h(
            "div",
            { class: "grid-2" },
            field({ label: t("school.guardianName"), name: "guardian_name", testid: "student-guardian-name" }),
            field({ label: t("common.phone"), name: "phone", type: "tel", testid: "student-guardian-phone", attrs: { inputmode: "tel" } }),
          ),
          field({ label: t("school.relation"), name: "relation", type: "select", value: "mother", options: RELATIONS.map((r) => ({ value: r, label: relationLabel(r) })), testid: "student-guardian-relation" }),
        ),
        formError(),
        h(
          "div",
          { class: "actions" },
          h("button", { type: "button", class: "btn", onclick: () => close(false) }, t("common.cancel")),
          h("button", { type: "submit", class: "btn btn-primary", "data-testid": "student-save" }, t("common.save")),
        ),
      );
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const v = formValues(form);
        const guardians = v.guardian_name || v.phone ? [{ name: v.guardian_name, phone: v.phone, relation: v.relation }] : [];
        busy(form, async () => {
          try {
            await api.post(`/school/classes/${encodeURIComponent(classId)}/students`, { name: v.name, student_no: v.student_no, guardians });
            toast(t("school.studentAdded", { name: v.name }), { type: "success" });
            close(true);
          } catch (error) {
            // The server names guardian fields "guardians.0.phone"; point them at our inputs.
            const blamed = String(error.field || "");
            const mapped = { "guardians.0.name": "guardian_name", "guardians.0.phone": "phone", "guardians.0.relation": "relation", guardians: "phone" }[blamed];
            showError(form, mapped ? { code: error.code, message: error.message, details: error.details, field: mapped } : error);
          }
        });
      });
      return form;
    },
  });
  return d.closed.then((v) => v === true);
}

/** Template download, upload with progress, check (dry run) and import. onImported(result). */
export function importSection(schoolClass, { onImported = () => {} } = {}) {
  const classId = schoolClass.id;
  const headingId = uid("import-h");
  const fileId = uid("roster-file");
  const progress = h("progress", { max: "100", value: "0", "data-testid": "roster-progress", "aria-label": t("school.uploadProgress") });
  const progressText = h("span", { class: "muted small", "aria-live": "polite" });
  const progressBox = h("div", { class: "progress-box", hidden: true }, progress, progressText);
  const result = h("div", { "data-testid": "roster-result", "aria-live": "polite" });
  const importButton = h("button", { type: "submit", class: "btn btn-primary", "data-mode": "import", "data-testid": "roster-import" }, t("school.importRoster"));
  const form = h(
    "form",
    { class: "stack", novalidate: true, "data-testid": "roster-form" },
    h(
      "div",
      { class: "field" },
      h("label", { for: fileId }, t("school.rosterFile")),
      h("input", {
        id: fileId,
        type: "file",
        name: "file",
        accept: ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "data-testid": "roster-file",
        "aria-describedby": `${fileId}-hint ${fileId}-error`,
        onchange: () => {
          clear(result);
          progressBox.hidden = true;
        },
      }),
      h("p", { class: "hint", id: `${fileId}-hint` }, t("school.rosterFileHint")),
      h("p", { class: "field-error", id: `${fileId}-error` }),
    ),
    formError(),
    progressBox,
    h(
      "div",
      { class: "actions school-import-actions" },
      h("button", { type: "submit", class: "btn", "data-mode": "check", "data-testid": "roster-check" }, t("school.checkRoster")),
      importButton,
    ),
  );

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors(form);
    clear(result);
    const dryRun = (e.submitter?.dataset.mode || "check") === "check";
    const input = form.querySelector("input[type=file]");
    const file = input.files[0];
    if (!file) {
      showError(form, { code: "no_file", message: t("school.chooseFile"), details: {}, field: "file" });
      return;
    }
    const data = new FormData();
    data.append("file", file, file.name);
    progressBox.hidden = false;
    progress.value = 0;
    progressText.textContent = t("school.uploading", { percent: 0 });
    busy(form, async () => {
      try {
        const res = await upload("POST", `/school/classes/${encodeURIComponent(classId)}/roster`, data, {
          query: dryRun ? { dry_run: "true" } : undefined,
          onProgress: (f) => {
            progress.value = Math.round(f * 100);
            progressText.textContent = f >= 1 ? t("school.checking") : t("school.uploading", { percent: Math.round(f * 100) });
          },
        });
        progressText.textContent = t("school.uploadFinished");
        if (res.dry_run) {
          clear(result, h("div", { class: "notice notice-ok", role: "status", "data-testid": "roster-check-ok" }, h("strong", {}, t("school.checkOk", { count: res.checked })), " ", t("school.checkOkNext")));
          importButton.focus();
        } else {
          input.value = "";
          clear(result, h("div", { class: "notice notice-ok", role: "status", "data-testid": "roster-imported" }, h("strong", {}, t("school.imported", { count: res.imported }))));
          onImported(res);
        }
      } catch (error) {
        progressBox.hidden = true;
        if (error.code === "roster_invalid" && Array.isArray(error.details.rows)) showRowErrors(error);
        else showError(form, error);
      }
    });
  });

  function showRowErrors(error) {
    clear(
      result,
      h("div", { class: "notice notice-error", role: "alert", "data-testid": "roster-errors-summary" }, t("school.rosterInvalid", { count: error.details.rows.length })),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "table table-compact", "data-testid": "roster-errors" },
          h("caption", { class: "sr-only" }, t("school.errorsCaption")),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("school.errorRow")), h("th", { scope: "col" }, t("school.errorColumn")), h("th", { scope: "col" }, t("school.errorProblem")))),
          h(
            "tbody",
            {},
            error.details.rows.map((r) =>
              h(
                "tr",
                { "data-testid": "roster-error-row", "data-row": String(r.row), "data-code": r.code },
                h("td", { "data-testid": "roster-error-line" }, String(r.row)),
                h("td", { "data-testid": "roster-error-field" }, columnLabel(r.field)),
                h("td", {}, rowProblem(r), r.message && rowProblem(r) !== r.message ? h("span", { class: "muted small block" }, r.message) : null),
              ),
            ),
          ),
        ),
      ),
    );
  }

  return h(
    "section",
    { class: "card", "aria-labelledby": headingId, "data-testid": "roster-import-card" },
    h("h2", { id: headingId }, t("school.importTitle")),
    h("p", {}, t("school.importHelp")),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "table table-compact", "data-testid": "roster-columns" },
        h("caption", { class: "sr-only" }, t("school.columnsCaption")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("school.column")), h("th", { scope: "col" }, t("school.columnMeaning")))),
        h(
          "tbody",
          {},
          COLUMNS.map(([key, header]) => h("tr", {}, h("td", {}, h("code", {}, header)), h("td", {}, t(`school.colHelp.${key}`)))),
        ),
      ),
    ),
    h(
      "p",
      { class: "school-template" },
      t("school.template"),
      " ",
      h("a", { href: "/api/v1/school/roster-template?format=xlsx", download: "roster-template.xlsx", class: "btn btn-small", "data-testid": "roster-template-xlsx" }, t("school.templateXlsx")),
      " ",
      h("a", { href: "/api/v1/school/roster-template?format=csv", download: "roster-template.csv", class: "btn btn-small", "data-testid": "roster-template-csv" }, t("school.templateCsv")),
    ),
    form,
    result,
  );
}
