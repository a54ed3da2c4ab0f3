// /school/homework/:id: one homework. Everyone sees what was assigned (title, subject,
// classes, due time in the organisation's zone, text, files). Teachers then see the
// per-class statistics and the work to grade (homework-teacher.js); guardians hand in for
// each child, withdraw and hand in again until it is graded, see the grade and the class's
// excellent work (homework-guardian.js). Both parts follow homework.submitted / withdrawn /
// graded events live.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, formatDateTime, debounce } from "../../ui.js";
import { backLink } from "./common.js";
import { subjectTag, dueText, isOverdue, classesText, filesView, textBlock, SUBMISSION_EVENTS } from "./homework-common.js";
import { remindLabel } from "./homework-assign.js";
import { teacherPart } from "./homework-teacher.js";
import { guardianPart } from "./homework-guardian.js";

function headCard(hw) {
  return h(
    "section",
    { class: "card hw-head", "data-testid": "hw-head", "data-homework-id": hw.id },
    h("div", { class: "hw-head-title" }, subjectTag(hw), h("h2", { "data-testid": "hw-title" }, hw.title)),
    h(
      "dl",
      { class: "kvs hw-facts" },
      h("div", { class: "kv" }, h("dt", {}, t("homework.classes")), h("dd", { "data-testid": "hw-classes-text" }, classesText(hw.classes))),
      h("div", { class: "kv" }, h("dt", {}, t("homework.due")), h("dd", { class: isOverdue(hw) ? "hw-overdue" : "", "data-testid": "hw-due" }, dueText(hw))),
      hw.due_at && hw.remind_before_minutes ? h("div", { class: "kv" }, h("dt", {}, t("homework.remind")), h("dd", { "data-testid": "hw-remind-text" }, remindLabel(hw.remind_before_minutes))) : null,
      h("div", { class: "kv" }, h("dt", {}, t("homework.assignedBy")), h("dd", { "data-testid": "hw-author" }, hw.author?.name || "", " · ", formatDateTime(hw.created_at))),
    ),
    textBlock(hw.body, "hw-body"),
    filesView(hw.files, "hw-files"),
  );
}

export async function render(ctx) {
  const id = ctx.params.id;
  const body = h("div", { class: "hw-detail", "data-testid": "hw-page" }, loading());
  const heading = h("h1", {}, t("homework.title"));
  ctx.main.append(backLink("/school", t("nav.school")), h("div", { class: "page-head" }, heading), body);

  const parts = [];
  let shown = false;
  async function load() {
    let hw;
    try {
      hw = await api.get(`/school/homework/${encodeURIComponent(id)}`);
    } catch (error) {
      if (!ctx.isCurrent()) return;
      const missing = error.status === 404;
      clear(body, h("section", { class: "card" }, h("p", { class: missing ? "empty" : "notice notice-error", role: missing ? null : "alert", "data-testid": missing ? "hw-not-found" : "hw-error" }, errorText(error))));
      return;
    }
    if (!ctx.isCurrent()) return;
    if (!shown) {
      shown = true;
      const head = headCard(hw);
      clear(body, head);
      if (hw.my_roles?.teacher) parts.push(teacherPart(ctx, hw, body));
      if (hw.my_roles?.guardian) parts.push(guardianPart(ctx, hw, body));
      parts.forEach((p) => p.refresh(hw));
      return;
    }
    parts.forEach((p) => p.refresh(hw));
  }

  const soon = debounce(load, 250);
  for (const type of SUBMISSION_EVENTS) {
    ctx.on(type, (frame) => {
      if (frame.data?.homework_id !== id) return;
      parts.forEach((p) => p.onEvent?.(frame));
      soon();
    });
  }
  ctx.on("stream.resync", soon);
  await load();
}
