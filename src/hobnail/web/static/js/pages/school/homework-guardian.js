// A homework's family part (phone first): for each of my children in its classes, hand in
// text, photos (taken with the camera or picked) and files, each uploaded with progress;
// withdraw and hand in again until the teacher grades it; then the grade and the comment.
// Below, the class's work the teacher marked excellent.

import { api } from "../../api.js";
import { t } from "../../i18n.js";
import { h, clear, uid, formError, showError, clearErrors, busy, toast, confirmDialog, formatDateTime, emptyState } from "../../ui.js";
import { className } from "./common.js";
import { stateTag, lateTag, excellentTag, filesView, textBlock, uploader, hwErrorText } from "./homework-common.js";
import { gradeBox } from "./homework-teacher.js";

export function guardianPart(ctx, hw, container) {
  const childrenBox = h("div", { class: "hw-children", "data-testid": "hw-children" });
  const excellentId = uid("hw-exc-h");
  const excellentBody = h("div", {});
  const excellentCard = h("section", { class: "card hw-excellent-work", "aria-labelledby": excellentId, "data-testid": "hw-excellent-work" }, h("h2", { id: excellentId }, "★ ", t("homework.excellentWork")), excellentBody);
  const live = h("p", { class: "sr-only", role: "status", "aria-live": "polite" });
  container.append(childrenBox, excellentCard, live);

  const cards = new Map(); // student id → {key, el, dispose}
  let homework = hw;

  async function refresh(view) {
    if (view) homework = view;
    let subs;
    try {
      subs = await api.get(`/school/homework/${encodeURIComponent(hw.id)}/submissions`);
    } catch (error) {
      if (ctx.isCurrent()) clear(childrenBox, h("p", { class: "notice notice-error", role: "alert" }, hwErrorText(error)));
      return;
    }
    if (!ctx.isCurrent()) return;
    const mine = new Map();
    for (const s of subs) mine.set(s.student.id, s);
    const nodes = (homework.children || []).map((child) => {
      const sub = mine.get(child.student_id) || null;
      const key = `${child.state}:${sub?.status || "-"}:${sub?.version ?? "-"}`;
      const known = cards.get(child.student_id);
      if (known && known.key === key) return known.el;
      known?.dispose?.();
      const made = childCard(child, sub);
      cards.set(child.student_id, { key, ...made });
      return made.el;
    });
    clear(childrenBox, nodes);
    const excellent = subs.filter((s) => s.excellent);
    clear(excellentBody, excellent.length ? h("ul", { class: "hw-sub-list" }, excellent.map(excellentItem)) : emptyState(t("homework.noExcellent"), "hw-excellent-empty"));
  }

  function childCard(child, sub) {
    const klass = (homework.classes || []).find((c) => c.id === child.class_id);
    const headId = uid("hw-child-h");
    const el = h(
      "section",
      { class: `card hw-child-card hw-child-${child.state}`, "aria-labelledby": headId, "data-testid": "hw-child-card", "data-student-id": child.student_id, "data-state": child.state },
      h(
        "div",
        { class: "hw-sub-head" },
        h("h2", { id: headId, "data-testid": "hw-child-name" }, child.name),
        klass ? h("span", { class: "muted small" }, className(klass)) : null,
        stateTag(child.state, "hw-child-state"),
        child.late ? lateTag() : null,
        child.excellent ? excellentTag() : null,
      ),
    );
    let dispose = null;
    if (child.state === "graded" && sub) {
      el.append(work(sub), gradeBox(sub.grade));
    } else if (child.state === "submitted" && sub) {
      el.append(
        work(sub),
        h("p", { class: "hint" }, t("homework.withdrawHint")),
        h("div", { class: "row-actions" }, h("button", { type: "button", class: "btn btn-small", "data-testid": "hw-withdraw", onclick: () => withdraw(child, sub) }, t("homework.withdraw"))),
      );
    } else {
      const form = submitForm(child, sub);
      el.append(form.el);
      dispose = form.dispose;
    }
    return { el, dispose };
  }

  function work(sub) {
    return h(
      "div",
      { class: "hw-my-work", "data-testid": "hw-my-work" },
      h("p", { class: "muted small" }, t("homework.submittedAt", { time: formatDateTime(sub.submitted_at) }), sub.submitted_by ? ` · ${t("homework.by", { name: sub.submitted_by.name })}` : ""),
      textBlock(sub.body, "hw-my-body"),
      filesView(sub.files, "hw-my-files"),
    );
  }

  function submitForm(child, previous) {
    const bodyId = uid("hw-answer");
    const textarea = h("textarea", { id: bodyId, name: "body", rows: "4", maxlength: "10000", "data-testid": "hw-submit-body", "aria-describedby": `${bodyId}-error` });
    // After withdrawing, start from what was handed in.
    if (previous && previous.status === "withdrawn") textarea.value = previous.body || "";
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", "data-testid": "hw-submit" }, previous?.status === "withdrawn" ? t("homework.resubmit") : t("homework.submit"));
    const waitHint = h("p", { class: "hint", "aria-live": "polite", hidden: true }, t("homework.waitUploads"));
    const files = uploader({
      legend: t("homework.photosAndFiles"),
      testid: "hw-submit-upload",
      kept: previous && previous.status === "withdrawn" ? previous.files || [] : [],
      onChange: () => {
        const wait = files.pending() || files.failed();
        submit.disabled = wait;
        waitHint.hidden = !wait;
      },
    });
    const form = h(
      "form",
      { class: "hw-submit-form", "data-testid": "hw-submit-form", novalidate: true },
      formError(),
      previous?.status === "withdrawn" ? h("p", { class: "notice", "data-testid": "hw-withdrawn-note" }, t("homework.withdrawnNote", { time: formatDateTime(previous.withdrawn_at) })) : null,
      h("div", { class: "field" }, h("label", { for: bodyId }, t("homework.answer")), textarea, h("p", { class: "field-error", id: `${bodyId}-error` })),
      files.el,
      h("div", { class: "actions" }, submit),
      waitHint,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      if (files.pending() || files.failed()) return;
      const payload = { student_id: child.student_id, body: textarea.value.trim(), file_ids: files.fileIds() };
      if (!payload.body && !payload.file_ids.length) {
        showError(form, { field: "body", code: "submission_empty", details: {} });
        return;
      }
      await busy(form, async () => {
        try {
          await api.post(`/school/homework/${encodeURIComponent(hw.id)}/submissions`, payload);
          files.settle();
          toast(t("homework.submitted", { name: child.name }), { type: "success" });
          live.textContent = t("homework.submitted", { name: child.name });
          await reloadHomework();
        } catch (error) {
          showError(form, { field: error.field, code: error.code, message: hwErrorText(error), details: error.details });
          if (error.status === 409) reloadHomework();
        }
      });
    });
    return { el: form, dispose: () => files.dispose() };
  }

  async function withdraw(child, sub) {
    const ok = await confirmDialog({ title: t("homework.withdrawTitle"), message: t("homework.withdrawText", { name: child.name }), confirmLabel: t("homework.withdraw") });
    if (!ok) return;
    try {
      await api.post(`/school/homework/${encodeURIComponent(hw.id)}/submissions/${encodeURIComponent(sub.id)}/withdraw`);
      toast(t("homework.withdrawn"), { type: "success" });
      live.textContent = t("homework.withdrawn");
    } catch (error) {
      toast(hwErrorText(error), { type: "error" });
    }
    await reloadHomework();
  }

  async function reloadHomework() {
    try {
      const view = await api.get(`/school/homework/${encodeURIComponent(hw.id)}`);
      if (ctx.isCurrent()) await refresh(view);
    } catch (error) {
      toast(hwErrorText(error), { type: "error" });
    }
  }

  function excellentItem(sub) {
    return h(
      "li",
      { class: "hw-sub", "data-testid": "hw-excellent-item", "data-submission-id": sub.id },
      h("div", { class: "hw-sub-head" }, h("h3", {}, sub.student.name), excellentTag()),
      textBlock(sub.body, "hw-excellent-body"),
      filesView(sub.files, "hw-excellent-files"),
      sub.grade ? gradeBox(sub.grade, "hw-excellent-grade") : null,
    );
  }

  return {
    refresh,
    onEvent(frame) {
      if (frame.type === "homework.graded" && frame.data?.submission) live.textContent = t("homework.gradedLive", { name: frame.data.submission.student?.name || "" });
    },
  };
}
