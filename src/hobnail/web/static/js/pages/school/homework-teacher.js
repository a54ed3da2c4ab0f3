// A homework's teacher part: per-class statistics (who handed in, was graded, has not handed
// in, was late — each a list of students) and the work itself, to read and grade with a
// score (0–100) or a level (A/B/C/D, 优/良/中/差 in Chinese), a comment with optional images,
// and "excellent" (shared with the class's families).

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, uid, dialog, formError, showError, clearErrors, busy, toast, formatDateTime, emptyState } from "../../ui.js";
import { className } from "./common.js";
import { LEVELS, levelLabel, gradeText, stateTag, lateTag, excellentTag, filesView, textBlock, uploader, hwErrorText } from "./homework-common.js";

const STAT_STATES = ["submitted", "graded", "not_submitted", "late"];

export function teacherPart(ctx, hw, container) {
  const live = h("p", { class: "sr-only", role: "status", "aria-live": "polite", "data-testid": "hw-live" });
  const statsBody = h("div", { class: "hw-stats-body" });
  const statsId = uid("hw-stats-h");
  const stats = h("section", { class: "card hw-stats", "aria-labelledby": statsId, "data-testid": "hw-stats" }, h("h2", { id: statsId }, t("homework.stats")), statsBody);

  const subsId = uid("hw-subs-h");
  const classFilter = h("select", { id: uid("hw-class-filter"), "data-testid": "hw-filter-class" });
  const statusFilter = h(
    "select",
    { id: uid("hw-status-filter"), "data-testid": "hw-filter-status" },
    ["", "submitted", "graded", "withdrawn"].map((s) => h("option", { value: s }, s ? t(`homework.filter.${s}`) : t("homework.filter.all"))),
  );
  const filters = h(
    "div",
    { class: "hw-filters" },
    h("label", { class: "hw-filter" }, h("span", {}, t("homework.filterClass")), classFilter),
    h("label", { class: "hw-filter" }, h("span", {}, t("homework.filterStatus")), statusFilter),
  );
  const subsBody = h("div", { class: "hw-subs-body" });
  const subs = h("section", { class: "card hw-submissions", "aria-labelledby": subsId, "data-testid": "hw-submissions" }, h("div", { class: "hw-subs-head" }, h("h2", { id: subsId }, t("homework.submissions")), filters), subsBody, live);
  container.append(stats, subs);

  const open = new Set(["submitted"]); // which statistics lists are unfolded, kept across refreshes
  let homework = hw;
  let all = [];

  function fillClassFilter() {
    const current = classFilter.value;
    clear(classFilter, h("option", { value: "" }, t("homework.filter.allClasses")), (homework.classes || []).map((c) => h("option", { value: c.id, selected: c.id === current }, className(c))));
    classFilter.closest(".hw-filter").hidden = (homework.classes || []).length < 2;
  }

  async function refresh(view) {
    if (view) homework = view;
    fillClassFilter();
    let result;
    let list;
    try {
      [result, list] = await Promise.all([api.get(`/school/homework/${encodeURIComponent(hw.id)}/stats`), api.get(`/school/homework/${encodeURIComponent(hw.id)}/submissions`)]);
    } catch (error) {
      if (ctx.isCurrent()) clear(statsBody, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
      return;
    }
    if (!ctx.isCurrent()) return;
    all = list;
    drawStats(result);
    drawSubs();
  }

  function drawStats(result) {
    clear(
      statsBody,
      result.classes.map((c) => {
        const headId = uid("hw-class-h");
        return h(
          "section",
          { class: "hw-stats-class", "aria-labelledby": headId, "data-testid": "hw-stats-class", "data-class-id": c.class?.id },
          h("h3", { id: headId }, className(c.class), " ", h("span", { class: "muted small" }, t("school.studentCount", { count: c.student_count }))),
          h(
            "div",
            { class: "hw-stat-lists" },
            STAT_STATES.map((state) => {
              const people = c.students[state] || [];
              const key = `${c.class?.id}:${state}`;
              const details = h(
                "details",
                { class: `hw-stat hw-stat-${state}`, open: open.has(state) || open.has(key), "data-testid": `hw-stat-${state}` },
                h("summary", {}, h("span", { class: "hw-stat-label" }, t(`homework.statLabel.${state}`)), " ", h("strong", { "data-testid": `hw-stat-count` }, String(c.counts[state] ?? people.length))),
                people.length
                  ? h(
                      "ul",
                      { class: "hw-stat-people" },
                      people.map((p) =>
                        h(
                          "li",
                          { "data-testid": "hw-stat-student", "data-student-id": p.id },
                          h("span", {}, p.name),
                          " ",
                          h("span", { class: "muted small" }, p.student_no),
                          p.late && state !== "late" ? [" ", lateTag()] : null,
                          p.excellent ? [" ", excellentTag()] : null,
                        ),
                      ),
                    )
                  : h("p", { class: "muted small" }, t("homework.nobody")),
              );
              details.addEventListener("toggle", () => {
                open.delete(state);
                if (details.open) open.add(key);
                else open.delete(key);
              });
              return details;
            }),
          ),
        );
      }),
    );
  }

  function drawSubs() {
    const cls = classFilter.value;
    const status = statusFilter.value;
    const shown = all.filter((s) => (!cls || s.student.class_id === cls) && (!status || s.status === status));
    // Work waiting for a grade first, then graded, then withdrawn; oldest hand-in first.
    const order = { submitted: 0, graded: 1, withdrawn: 2 };
    shown.sort((a, b) => order[a.status] - order[b.status] || new Date(a.submitted_at) - new Date(b.submitted_at));
    clear(subsBody, shown.length ? h("ul", { class: "hw-sub-list", "data-testid": "hw-sub-list" }, shown.map(submissionCard)) : emptyState(all.length ? t("homework.noMatching") : t("homework.noSubmissions"), "hw-subs-empty"));
  }

  function submissionCard(sub) {
    const klass = (homework.classes || []).find((c) => c.id === sub.student.class_id);
    const headId = uid("hw-sub-h");
    const g = sub.grade;
    return h(
      "li",
      { class: `hw-sub hw-sub-${sub.status}`, "aria-labelledby": headId, "data-testid": "hw-submission", "data-submission-id": sub.id, "data-status": sub.status, "data-student-id": sub.student.id },
      h(
        "div",
        { class: "hw-sub-head" },
        h("h3", { id: headId, "data-testid": "hw-sub-student" }, sub.student.name),
        (homework.classes || []).length > 1 && klass ? h("span", { class: "muted small" }, className(klass)) : null,
        stateTag(sub.status, "hw-sub-status"),
        sub.late ? lateTag() : null,
        sub.excellent ? excellentTag() : null,
      ),
      h(
        "p",
        { class: "muted small" },
        sub.status === "withdrawn" ? t("homework.withdrawnAt", { time: formatDateTime(sub.withdrawn_at) }) : t("homework.submittedAt", { time: formatDateTime(sub.submitted_at) }),
        sub.submitted_by ? ` · ${t("homework.by", { name: sub.submitted_by.name })}` : "",
      ),
      sub.status === "withdrawn" ? null : [textBlock(sub.body, "hw-sub-body"), filesView(sub.files, "hw-sub-files")],
      g ? gradeBox(g) : null,
      sub.status === "withdrawn"
        ? null
        : h(
            "div",
            { class: "row-actions" },
            h(
              "button",
              { type: "button", class: `btn btn-small ${g ? "" : "btn-primary"}`, "data-testid": "hw-grade-button", "aria-label": t(g ? "homework.regradeOf" : "homework.gradeOf", { name: sub.student.name }), onclick: () => gradeDialog(sub) },
              g ? t("homework.regrade") : t("homework.grade"),
            ),
          ),
    );
  }

  function gradeDialog(sub) {
    const g = sub.grade;
    let mode = g && g.score !== null && g.score !== undefined ? "score" : "level";
    const modeName = uid("hw-mode");
    const levelName = uid("hw-level");
    const radio = (name, value, label, testid, checked) => {
      const id = uid("r");
      return h("span", { class: "hw-radio" }, h("input", { type: "radio", id, name, value, checked, "data-testid": testid }), h("label", { for: id, "data-testid": `${testid}-label` }, label));
    };
    const levelBox = h(
      "fieldset",
      { class: "hw-levels", "data-testid": "hw-levels" },
      h("legend", {}, t("homework.level")),
      LEVELS.map((l) => radio(levelName, l, levelLabel(l), `hw-level-${l}`, g?.level === l)),
    );
    const score = h("div", { class: "field" });
    const scoreId = uid("hw-score");
    score.append(
      h("label", { for: scoreId }, t("homework.score")),
      h("input", { id: scoreId, type: "number", name: "score", min: "0", max: "100", step: "0.5", inputmode: "decimal", value: g?.score ?? "", "data-testid": "hw-score-input", "aria-describedby": `${scoreId}-error` }),
      h("p", { class: "field-error", id: `${scoreId}-error` }),
    );
    const comment = h("div", { class: "field" });
    const commentId = uid("hw-comment");
    const commentInput = h("textarea", { id: commentId, name: "comment", rows: "4", maxlength: "5000", "data-testid": "hw-comment-input", "aria-describedby": `${commentId}-error` });
    commentInput.value = g?.comment || "";
    comment.append(h("label", { for: commentId }, t("homework.comment")), commentInput, h("p", { class: "field-error", id: `${commentId}-error` }));
    const excellentId = uid("hw-exc");
    const excellent = h(
      "div",
      { class: "hw-excellent-choice" },
      h(
        "div",
        { class: "check" },
        h("input", { type: "checkbox", id: excellentId, name: "excellent", checked: !!sub.excellent, "data-testid": "hw-excellent-input", "aria-describedby": `${excellentId}-hint` }),
        h("label", { for: excellentId }, t("homework.markExcellent")),
      ),
      h("p", { class: "hint", id: `${excellentId}-hint` }, t("homework.excellentHint")),
    );
    const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "hw-grade-save" }, t("homework.saveGrade"));
    const images = uploader({ legend: t("homework.commentImages"), testid: "hw-comment-upload", files: false, max: 9, kept: g?.files || [], onChange: () => (save.disabled = images.pending() || images.failed()) });
    const modes = h(
      "fieldset",
      { class: "hw-modes" },
      h("legend", {}, t("homework.gradeWith")),
      radio(modeName, "level", t("homework.level"), "hw-grade-mode-level", mode === "level"),
      radio(modeName, "score", t("homework.score"), "hw-grade-mode-score", mode === "score"),
    );
    const syncMode = () => {
      levelBox.hidden = mode !== "level";
      score.hidden = mode !== "score";
    };
    modes.addEventListener("change", (e) => {
      if (e.target.name === modeName) {
        mode = e.target.value;
        syncMode();
      }
    });
    syncMode();
    const form = h(
      "form",
      { class: "hw-grade-form", "data-testid": "hw-grade-form", novalidate: true },
      formError(),
      sub.body || sub.files?.length ? h("div", { class: "hw-grade-work" }, textBlock(sub.body, "hw-grade-work-body"), filesView(sub.files, "hw-grade-work-files")) : null,
      modes,
      levelBox,
      score,
      comment,
      images.el,
      excellent,
      h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => d.close() }, t("common.cancel")), save),
    );
    const d = dialog({ title: t("homework.gradeTitle", { name: sub.student.name }), testid: "hw-grade-dialog", content: form, wide: true });
    d.closed.then(() => images.dispose());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      const payload = { comment: commentInput.value.trim(), file_ids: images.fileIds(), excellent: form.elements.excellent.checked };
      if (mode === "score") {
        const raw = form.elements.score.value.trim();
        const value = Number(raw);
        if (raw === "" || !Number.isFinite(value) || value < 0 || value > 100) {
          showError(form, { field: "score", code: "", message: t("homework.scoreRange"), details: {} });
          return;
        }
        payload.score = value;
      } else {
        const picked = form.querySelector(`input[name="${levelName}"]:checked`);
        if (!picked) {
          showError(form, { code: "", message: t("homework.pickLevel"), details: {} });
          return;
        }
        payload.level = picked.value;
      }
      await busy(form, async () => {
        try {
          await api.put(`/school/homework/${encodeURIComponent(hw.id)}/submissions/${encodeURIComponent(sub.id)}/grade`, payload);
          images.settle();
          d.close(true);
          toast(t("homework.gradeSaved", { name: sub.student.name }), { type: "success" });
          refresh();
        } catch (error) {
          showError(form, { ...error, field: error.field === "level" ? null : error.field, code: error.code, message: hwErrorText(error), details: error.details });
        }
      });
    });
  }

  classFilter.addEventListener("change", drawSubs);
  statusFilter.addEventListener("change", drawSubs);

  return {
    refresh,
    onEvent(frame) {
      const sub = frame.data?.submission;
      if (!sub || frame.type !== "homework.submitted") return;
      live.textContent = t("homework.arrived", { name: sub.student?.name || "" });
    },
  };
}

export function gradeBox(g, testid = "hw-grade") {
  return h(
    "div",
    { class: "hw-grade", "data-testid": testid },
    h("p", { class: "hw-grade-value" }, h("span", { class: "muted" }, t("homework.gradeLabel")), " ", h("strong", { "data-testid": "hw-grade-value" }, gradeText(g))),
    textBlock(g.comment, "hw-grade-comment"),
    filesView(g.files, "hw-grade-files"),
    g.graded_by ? h("p", { class: "muted small" }, t("homework.gradedBy", { name: g.graded_by.name, time: formatDateTime(g.graded_at) })) : null,
  );
}
