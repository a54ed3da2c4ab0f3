// /school/notices/new: a teacher writes a notice (通知) to the families of one or more of
// their classes, or of chosen students of a class: title, text, images and files (uploaded
// with progress before sending), "ask families to confirm (签收)" with an optional deadline,
// and an optional release time. Times are wall-clock times in the organisation's zone.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, field, formError, showError, clearErrors, toast, loading, uid, formatDateTime } from "../../ui.js";
import { orgTimezone, isAdmin } from "../../state.js";
import { attachmentPicker } from "../ding/attachment.js";
import { zonedLocal, zonedToIso } from "../../tz.js";
import { backLink, className } from "./common.js";
import { noticeHref } from "./notice-common.js";

const MAX_FILES = 9;

/** The files box: one tus picker per file; a new empty one appears when the last finished. */
function filesBox() {
  const pickers = [];
  const list = h("div", { class: "sn-pickers", "data-testid": "notice-file-pickers" });
  const box = h("fieldset", { class: "sn-fieldset", "data-testid": "notice-files-box" }, h("legend", {}, t("notice.filesLegend")), h("p", { class: "hint" }, t("notice.filesHint", { max: MAX_FILES })), list);
  let onChange = () => {};
  function add() {
    const picker = attachmentPicker({ onChange: () => changed(picker) });
    picker.el.querySelector("legend")?.classList.add("sr-only"); // the box's own legend names it
    picker.el.querySelectorAll(".hint").forEach((hint) => (hint.hidden = true)); // and its hint explains it
    pickers.push(picker);
    list.append(picker.el);
  }
  function changed(picker) {
    const last = pickers[pickers.length - 1];
    if (picker === last && picker.state() === "done" && pickers.length < MAX_FILES) add();
    if (picker !== last && picker.state() === "none") {
      pickers.splice(pickers.indexOf(picker), 1);
      picker.el.remove();
    }
    onChange();
  }
  add();
  return {
    el: box,
    ids: () => pickers.filter((p) => p.state() === "done" && p.fileId()).map((p) => p.fileId()),
    state: () => (pickers.some((p) => p.state() === "uploading") ? "uploading" : pickers.some((p) => p.state() === "failed") ? "failed" : "ok"),
    onChange: (fn) => (onChange = fn),
    dispose: () => pickers.forEach((p) => p.dispose()),
  };
}

/** One class: "the whole class" or chosen students (their list loads when opened). */
function classChoice(schoolClass, onChange) {
  const boxId = uid("sn-class");
  const listId = uid("sn-students");
  let students = null;
  const whole = h("input", { type: "checkbox", id: boxId, name: "class_ids", value: schoolClass.id, "data-testid": "notice-class-check", onchange: () => sync() });
  const list = h("div", { class: "sn-students", id: listId, hidden: true, "data-testid": "notice-students" });
  const toggle = h(
    "button",
    { type: "button", class: "link-btn link sn-choose", "aria-expanded": "false", "aria-controls": listId, "data-testid": "notice-choose-students", onclick: () => open(list.hidden) },
    t("notice.chooseStudents"),
  );
  const row = h(
    "li",
    { class: "sn-class", "data-testid": "notice-class", "data-class-id": schoolClass.id },
    h("div", { class: "check" }, whole, h("label", { for: boxId }, t("notice.wholeClass", { name: className(schoolClass) }), schoolClass.student_count !== undefined ? h("span", { class: "muted small" }, ` · ${t("school.studentCount", { count: schoolClass.student_count })}`) : null)),
    toggle,
    list,
  );

  async function open(show) {
    list.hidden = !show;
    toggle.setAttribute("aria-expanded", String(show));
    if (!show || students) return;
    clear(list, loading());
    try {
      students = await api.get(`/school/classes/${encodeURIComponent(schoolClass.id)}/students`);
    } catch (error) {
      students = null;
      clear(list, h("p", { class: "field-error" }, errorText(error)));
      return;
    }
    clear(
      list,
      students.length
        ? h(
            "ul",
            { class: "sn-student-list", role: "group", "aria-label": t("notice.studentsOf", { name: className(schoolClass) }) },
            students.map((s) => {
              const id = uid("sn-st");
              return h(
                "li",
                { class: "check" },
                h("input", { type: "checkbox", id, value: s.id, "data-testid": "notice-student", "data-student-id": s.id, onchange: onChange }),
                h("label", { for: id }, s.name, h("span", { class: "muted small" }, ` ${s.student_no}`)),
              );
            }),
          )
        : h("p", { class: "muted small" }, t("notice.noStudents")),
    );
    sync();
  }

  function sync() {
    list.querySelectorAll("input[type=checkbox]").forEach((cb) => (cb.disabled = whole.checked));
    onChange();
  }

  return {
    el: row,
    classIds: () => (whole.checked ? [schoolClass.id] : []),
    studentIds: () => (whole.checked ? [] : [...list.querySelectorAll("input[type=checkbox]:checked")].map((cb) => cb.value)),
  };
}

export async function render(ctx) {
  const zone = orgTimezone();
  const body = h("div", { class: "sn-new", "data-testid": "notice-new-page" }, loading());
  ctx.main.append(backLink("/school", t("nav.school")), h("div", { class: "page-head" }, h("h1", {}, t("notice.newTitle"))), body);

  let classes;
  try {
    if (isAdmin()) classes = await api.get("/school/classes");
    else classes = (await api.get("/school/me")).teaching || [];
  } catch (error) {
    if (ctx.isCurrent()) clear(body, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!classes.length) {
    clear(body, h("section", { class: "card" }, h("p", { class: "empty", "data-testid": "notice-no-classes" }, t("notice.noClasses"))));
    return;
  }

  // ----- who -----
  const summary = h("p", { class: "hint", "aria-live": "polite", "data-testid": "notice-recipients-summary" });
  const choices = classes.map((c) => classChoice(c, countChosen));
  const whoErrorId = uid("sn-who-error");
  const who = h(
    "fieldset",
    { class: "sn-fieldset field", "data-testid": "notice-recipients", "aria-describedby": whoErrorId },
    h("legend", {}, t("notice.sendTo"), h("span", { class: "req", "aria-hidden": "true" }, " *")),
    h("ul", { class: "sn-classes" }, choices.map((c) => c.el)),
    summary,
    h("p", { class: "field-error", id: whoErrorId }),
  );
  function countChosen() {
    const classCount = choices.reduce((n, c) => n + c.classIds().length, 0);
    const studentCount = choices.reduce((n, c) => n + c.studentIds().length, 0);
    summary.textContent = !classCount && !studentCount ? t("notice.chooseSomeone") : t("notice.chosen", { classes: classCount, students: studentCount });
  }
  countChosen();

  // ----- files -----
  const files = filesBox();

  // ----- confirmation and deadline -----
  const confirmId = uid("sn-confirm");
  const deadlineId = uid("sn-deadline");
  const deadline = h("input", { type: "datetime-local", id: deadlineId, name: "deadline", "data-testid": "notice-deadline-input", "aria-describedby": `${deadlineId}-hint ${deadlineId}-error` });
  const deadlineField = h(
    "div",
    { class: "field sn-when-field", hidden: true },
    h("label", { for: deadlineId }, t("notice.deadline")),
    deadline,
    h("p", { class: "hint", id: `${deadlineId}-hint` }, t("notice.deadlineHint", { zone: zone || "" })),
    h("p", { class: "field-error", id: `${deadlineId}-error` }),
  );
  const requireConfirm = h("input", {
    type: "checkbox",
    id: confirmId,
    name: "require_confirm",
    "data-testid": "notice-require-confirm",
    onchange: () => {
      deadlineField.hidden = !requireConfirm.checked;
      if (requireConfirm.checked) deadline.min = zonedLocal(Date.now() + 60000, zone);
    },
  });
  const confirmBox = h(
    "fieldset",
    { class: "sn-fieldset" },
    h("legend", {}, t("notice.confirmLegend")),
    h("div", { class: "check" }, requireConfirm, h("label", { for: confirmId }, t("notice.requireConfirm"))),
    h("p", { class: "hint" }, t("notice.requireConfirmHint")),
    deadlineField,
  );

  // ----- when -----
  const whenName = uid("sn-when");
  const releaseId = uid("sn-release");
  const release = h("input", { type: "datetime-local", id: releaseId, name: "release_at", "data-testid": "notice-release-at", "aria-describedby": `${releaseId}-hint ${releaseId}-error` });
  const releaseField = h(
    "div",
    { class: "field sn-when-field", hidden: true },
    h("label", { for: releaseId }, t("notice.releaseAt")),
    release,
    h("p", { class: "hint", id: `${releaseId}-hint` }, t("notice.timezoneHint", { zone: zone || "" })),
    h("p", { class: "field-error", id: `${releaseId}-error` }),
  );
  const submit = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "notice-send" }, t("notice.sendNow"));
  const radio = (value, label, checked) => {
    const id = uid("sn-w");
    return h(
      "div",
      { class: "check" },
      h("input", {
        type: "radio",
        id,
        name: whenName,
        value,
        checked,
        "data-testid": `notice-when-${value}`,
        onchange: () => {
          releaseField.hidden = value !== "later";
          submit.textContent = value === "later" ? t("notice.schedule") : t("notice.sendNow");
          if (value === "later") {
            release.min = zonedLocal(Date.now() + 60000, zone);
            if (!release.value) release.value = zonedLocal(Date.now() + 3600000, zone);
          }
        },
      }),
      h("label", { for: id }, label),
    );
  };
  const whenBox = h("fieldset", { class: "sn-fieldset" }, h("legend", {}, t("notice.when")), h("div", { class: "sn-when-row" }, radio("now", t("notice.now"), true), radio("later", t("notice.later"), false)), releaseField);

  const waitHint = h("p", { class: "hint", "aria-live": "polite", "data-testid": "notice-send-hint" });
  let sending = false;
  function syncSubmit() {
    const state = files.state();
    submit.disabled = sending || state !== "ok";
    waitHint.textContent = state === "uploading" ? t("notice.waitUpload") : state === "failed" ? t("notice.fixUpload") : "";
  }
  files.onChange(syncSubmit);

  const title = field({ label: t("notice.title"), name: "title", required: true, testid: "notice-title", attrs: { maxlength: "100" } });
  const text = field({ label: t("notice.text"), name: "body", type: "textarea", testid: "notice-text", attrs: { maxlength: "10000", rows: "6" } });
  const form = h(
    "form",
    { class: "card sn-form", "data-testid": "notice-form", novalidate: true },
    formError(),
    title,
    text,
    who,
    files.el,
    confirmBox,
    whenBox,
    h("div", { class: "actions sn-actions" }, waitHint, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const titleInput = form.querySelector("[name=title]");
    if (!titleInput.value.trim()) return showError(form, { code: "notice_title_required", field: "title", message: t("notice.titleRequired") });
    const classIds = choices.flatMap((c) => c.classIds());
    const studentIds = choices.flatMap((c) => c.studentIds());
    if (!classIds.length && !studentIds.length) return showError(form, { code: "notice_without_recipients", field: "class_ids", details: {} });
    const payload = {
      title: titleInput.value.trim(),
      body: form.querySelector("[name=body]").value.trim(),
      class_ids: classIds,
      student_ids: studentIds,
      file_ids: files.ids(),
      require_confirm: requireConfirm.checked,
    };
    if (requireConfirm.checked && deadline.value) {
      payload.deadline = zonedToIso(deadline.value, zone);
      if (!payload.deadline) return showError(form, { code: "time_in_past", field: "deadline", details: { field: "deadline" } });
    }
    const later = form.querySelector(`input[name="${whenName}"]:checked`)?.value === "later";
    if (later) {
      payload.release_at = zonedToIso(release.value, zone);
      if (!payload.release_at) return showError(form, { code: "time_in_past", field: "release_at", details: { field: "release_at" } });
    }
    sending = true;
    syncSubmit();
    submit.setAttribute("aria-busy", "true");
    try {
      const notice = await api.post("/school/notices", payload);
      toast(notice.status === "scheduled" ? t("notice.scheduledToast", { time: formatDateTime(notice.release_at) }) : t("notice.sentToast"), { type: "success" });
      ctx.navigate(noticeHref(notice.id));
    } catch (error) {
      if (error.code === "deadline_before_release") error.details = { ...error.details, field: "deadline" };
      showError(form, error);
    } finally {
      sending = false;
      submit.removeAttribute("aria-busy");
      if (form.isConnected) syncSubmit();
    }
  });
  clear(body, form);
  syncSubmit();
  return () => files.dispose();
}
