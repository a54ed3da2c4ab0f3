// /school/homework/new: a teacher assigns homework (布置作业) to classes they teach (admins:
// any class) — subject, title, text, photos and files (uploaded at once, with progress), an
// optional due time in the organisation's time zone and how long before it families who
// have not handed in are reminded. ?class=ID ticks that class.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, uid, field, formError, showError, clearErrors, busy, loading, toast, emptyState } from "../../ui.js";
import { orgTimezone, user } from "../../state.js";
import { zonedLocal } from "../../tz.js";
import { backLink, className } from "./common.js";
import { uploader, homeworkPath, REMIND_CHOICES } from "./homework-common.js";

export function remindLabel(minutes) {
  if (!minutes) return t("homework.remindNone");
  if (minutes % 1440 === 0) return t("homework.remindDays", { count: minutes / 1440 });
  if (minutes % 60 === 0) return t("homework.remindHours", { count: minutes / 60 });
  return t("homework.remindMinutes", { count: minutes });
}

export async function render(ctx) {
  const body = h("div", { class: "hw-assign", "data-testid": "hw-assign-page" }, loading());
  ctx.main.append(backLink("/school", t("nav.school")), h("div", { class: "page-head" }, h("h1", {}, t("homework.assignTitle"))), body);

  let home;
  let classes;
  try {
    home = await api.get("/school/me");
    classes = home.is_admin ? await api.get("/school/classes") : home.teaching;
  } catch (error) {
    if (ctx.isCurrent()) clear(body, h("p", { class: "notice notice-error", role: "alert", "data-testid": "hw-error" }, errorText(error)));
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!classes.length) {
    clear(body, h("section", { class: "card" }, emptyState(t("homework.noClassesToAssign"), "hw-no-classes")));
    return;
  }

  const me = user()?.id;
  const wanted = ctx.query.get("class");
  const mySubjects = [...new Set(classes.flatMap((c) => (c.subject_teachers || []).filter((s) => s.user_id === me).map((s) => s.subject)))];

  // ----- classes -----
  const classError = h("p", { class: "field-error", id: uid("hw-classes-error") });
  const classBoxes = classes.map((c) => {
    const id = uid("hw-class");
    return h(
      "div",
      { class: "check hw-class-choice" },
      h("input", { type: "checkbox", id, name: "class_ids", value: c.id, "data-multi": "1", checked: wanted === c.id || classes.length === 1, "data-testid": "hw-class", "data-class-id": c.id, "aria-describedby": classError.id }),
      h("label", { for: id }, className(c), " ", h("span", { class: "muted small" }, t("school.studentCount", { count: c.student_count ?? 0 }))),
    );
  });
  const classField = h("div", { class: "field" }, h("fieldset", { class: "hw-classes", "data-testid": "hw-classes" }, h("legend", {}, t("homework.classes"), h("span", { class: "req", "aria-hidden": "true" }, " *")), classBoxes), classError);

  // ----- subject, title, text -----
  const listId = uid("hw-subjects");
  const subject = field({ label: t("homework.subject"), name: "subject", testid: "hw-subject-input", value: mySubjects.length === 1 ? mySubjects[0] : "", attrs: { maxlength: 30, list: listId } });
  subject.append(h("datalist", { id: listId }, mySubjects.map((s) => h("option", { value: s }))));
  const title = field({ label: t("homework.titleLabel"), name: "title", required: true, testid: "hw-title-input", attrs: { maxlength: 120 } });
  const text = field({ label: t("homework.body"), name: "body", type: "textarea", testid: "hw-body-input", attrs: { rows: 5, maxlength: 10000 } });

  // ----- files -----
  const submit = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "hw-assign-submit" }, t("homework.assignSubmit"));
  const waitHint = h("p", { class: "hint", "aria-live": "polite", "data-testid": "hw-wait-hint", hidden: true }, t("homework.waitUploads"));
  const files = uploader({ legend: t("homework.attachments"), testid: "hw-assign-upload", onChange: sync });
  function sync() {
    const wait = files.pending() || files.failed();
    submit.disabled = wait;
    waitHint.hidden = !wait;
  }

  // ----- due time and reminder -----
  const zone = orgTimezone() || Intl.DateTimeFormat().resolvedOptions().timeZone;
  const due = field({ label: t("homework.due"), name: "due_at", type: "datetime-local", testid: "hw-due-input", hint: t("homework.dueHint", { zone }), attrs: { min: zonedLocal(Date.now(), zone) } });
  const remind = field({
    label: t("homework.remind"),
    name: "remind_before_minutes",
    type: "select",
    testid: "hw-remind",
    value: 120,
    hint: t("homework.remindHint"),
    options: REMIND_CHOICES.map((m) => ({ value: m, label: remindLabel(m) })),
  });
  const dueInput = due.querySelector("input");
  const remindSelect = remind.querySelector("select");
  const syncRemind = () => (remindSelect.disabled = !dueInput.value);
  dueInput.addEventListener("input", syncRemind);
  dueInput.addEventListener("change", syncRemind);
  syncRemind();

  const form = h(
    "form",
    { class: "card hw-assign-form", "data-testid": "hw-assign-form", novalidate: true },
    formError(),
    classField,
    h("div", { class: "field-row" }, subject, title),
    text,
    files.el,
    h("div", { class: "field-row" }, due, remind),
    h("div", { class: "actions" }, h("a", { href: "/school", class: "btn" }, t("common.cancel")), submit),
    waitHint,
  );
  clear(body, form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const classIds = [...form.querySelectorAll("input[name=class_ids]:checked")].map((el) => el.value);
    const titleValue = form.elements.title.value.trim();
    if (!classIds.length) {
      classError.textContent = t("homework.chooseClass");
      form.querySelector("input[name=class_ids]").focus();
      return;
    }
    if (!titleValue) {
      showError(form, { field: "title", code: "title_required", message: t("homework.titleRequired") });
      return;
    }
    if (files.pending() || files.failed()) return;
    const payload = {
      class_ids: classIds,
      title: titleValue,
      subject: form.elements.subject.value.trim(),
      body: form.elements.body.value.trim(),
      file_ids: files.fileIds(),
      // Without an offset: the server reads it in the school's time zone.
      due_at: dueInput.value || null,
      remind_before_minutes: dueInput.value ? Number(remindSelect.value) : 0,
    };
    await busy(form, async () => {
      try {
        const created = await api.post("/school/homework", payload);
        files.settle();
        toast(t("homework.assigned"), { type: "success" });
        ctx.navigate(homeworkPath(created.id));
      } catch (error) {
        if (error.field === "class_ids") {
          classError.textContent = errorText(error);
          return;
        }
        showError(form, error);
      }
    });
  });
  return () => files.dispose();
}
