// Shared bits of the homework screens (家校本): labels for states and grades, due times in
// the organisation's zone, the homework list rows (home sections and the list page), file
// galleries, and the uploader for photos and files (tus, several files, each with its own
// progress bar; a "take a photo" input with `capture` for phones).

import { api, csrfHeaders, tusError } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, uid, formatDateTime } from "../../ui.js";
import { humanSize, fileKind, fileIcon, viewUrl, downloadUrl, thumbnailUrl, canOpenInline } from "../../filetypes.js";
import { className } from "./common.js";

export const LEVELS = ["A", "B", "C", "D"];
export const REMIND_CHOICES = [0, 30, 60, 120, 360, 720, 1440, 2880];
const ENDPOINT = "/api/v1/uploads/";
const CHUNK_SIZE = 8 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000];

export const homeworkPath = (id) => `/school/homework/${encodeURIComponent(id)}`;

/** Events about one homework's submissions. */
export const SUBMISSION_EVENTS = ["homework.submitted", "homework.withdrawn", "homework.graded"];

export function stateLabel(state) {
  return t(`homework.state.${state}`);
}

const STATE_CLASS = { not_submitted: "tag-warn", submitted: "tag-info", graded: "tag-ok", withdrawn: "tag-muted" };

/** A coloured tag for a child's state (not_submitted, submitted, graded) or a status (withdrawn). */
export function stateTag(state, testid = "hw-state") {
  return h("span", { class: `tag ${STATE_CLASS[state] || ""}`, "data-testid": testid, "data-state": state }, stateLabel(state));
}

export function lateTag() {
  return h("span", { class: "tag tag-danger", "data-testid": "hw-late" }, t("homework.late"));
}

export function excellentTag() {
  return h("span", { class: "tag hw-excellent-tag", "data-testid": "hw-excellent" }, "★ ", t("homework.excellent"));
}

/** "A" → "A" (English) / "优" (Chinese). */
export function levelLabel(level) {
  return t(`homework.level.${level}`);
}

/** A grade ({score, level}) in words: "85 points", "优". */
export function gradeText(grade) {
  if (!grade) return "";
  if (grade.score !== null && grade.score !== undefined) return t("homework.scoreValue", { score: formatScore(grade.score) });
  if (grade.level) return levelLabel(grade.level);
  return "";
}

function formatScore(score) {
  return Number.isInteger(score) ? String(score) : String(Math.round(score * 10) / 10);
}

export function isOverdue(hw) {
  return !!hw.due_at && new Date(hw.due_at).getTime() <= Date.now();
}

/** "Due 8 Dec 2026, 20:00" in the organisation's zone, "No due time", or "Was due …". */
export function dueText(hw) {
  if (!hw.due_at) return t("homework.noDue");
  const time = formatDateTime(hw.due_at);
  return isOverdue(hw) ? t("homework.wasDue", { time }) : t("homework.dueAt", { time });
}

export function classesText(classes) {
  return (classes || []).map(className).join(t("common.listSep"));
}

export function subjectTag(hw) {
  return hw.subject ? h("span", { class: "tag tag-class", "data-testid": "hw-subject" }, hw.subject) : null;
}

/** Text for an API error, with the upload limits spelled out. */
export function hwErrorText(error) {
  const d = error?.details || {};
  if (error?.code === "file_too_large" && d.limit) return t("ding.fileTooLarge", { limit: humanSize(d.limit) });
  if (error?.code === "quota_exceeded" && d.quota) return t("ding.fileQuotaFull", { used: humanSize(d.used), quota: humanSize(d.quota) });
  return errorText(error);
}

// ---------- list rows ----------

function countChip(key, value, testid) {
  return h("span", { class: `hw-count hw-count-${key}`, "data-testid": testid }, h("strong", {}, String(value)), " ", t(`homework.count.${key}`));
}

/** One homework in a teacher's list: title, classes, due time, counts and "n to grade". */
export function staffItem(hw) {
  const s = hw.stats || {};
  return h(
    "li",
    { class: "hw-item", "data-testid": "hw-item", "data-homework-id": hw.id },
    h(
      "div",
      { class: "hw-item-head" },
      h("a", { href: homeworkPath(hw.id), class: "hw-item-title", "data-testid": "hw-item-link" }, hw.title),
      subjectTag(hw),
      s.to_grade ? h("span", { class: "tag tag-warn", "data-testid": "hw-to-grade" }, t("homework.toGradeCount", { count: s.to_grade })) : null,
    ),
    h("p", { class: "hw-item-sub muted small" }, classesText(hw.classes), " · ", h("span", { "data-testid": "hw-due" }, dueText(hw))),
    h(
      "p",
      { class: "hw-counts", "aria-label": t("homework.countsLabel") },
      countChip("submitted", s.submitted ?? 0, "hw-count-submitted"),
      countChip("graded", s.graded ?? 0, "hw-count-graded"),
      countChip("not_submitted", s.not_submitted ?? 0, "hw-count-not-submitted"),
    ),
  );
}

/** One homework in a guardian's list: title, due time, and each child's state (and grade). */
export function childItem(hw) {
  return h(
    "li",
    { class: "hw-item", "data-testid": "hw-item", "data-homework-id": hw.id },
    h(
      "div",
      { class: "hw-item-head" },
      h("a", { href: homeworkPath(hw.id), class: "hw-item-title", "data-testid": "hw-item-link" }, hw.title),
      subjectTag(hw),
    ),
    h("p", { class: `hw-item-sub small ${isOverdue(hw) ? "hw-overdue" : "muted"}`, "data-testid": "hw-due" }, dueText(hw)),
    h(
      "ul",
      { class: "hw-child-states" },
      (hw.children || []).map((c) =>
        h(
          "li",
          { "data-testid": "hw-child", "data-student-id": c.student_id, "data-state": c.state },
          h("span", { class: "hw-child-name" }, c.name),
          " ",
          stateTag(c.state),
          c.late ? [" ", lateTag()] : null,
          c.state === "graded" && (c.level || c.score !== null) ? h("span", { class: "hw-grade-inline", "data-testid": "hw-child-grade" }, gradeText(c)) : null,
          c.excellent ? [" ", excellentTag()] : null,
        ),
      ),
    ),
  );
}

/** Guardians: homework still to hand in (soonest due first), then without a due time, then overdue, then done. */
export function sortForGuardian(items) {
  const pending = (hw) => (hw.children || []).some((c) => c.state === "not_submitted");
  const rank = (hw) => (!pending(hw) ? 3 : !hw.due_at ? 1 : isOverdue(hw) ? 2 : 0);
  return [...items].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    if (ra === 0) return new Date(a.due_at) - new Date(b.due_at);
    return new Date(b.created_at) - new Date(a.created_at);
  });
}

// ---------- files as readers see them ----------

/** Photos as a tappable gallery, other files as rows with Open/Download. */
export function filesView(files, testid = "hw-files") {
  if (!files || !files.length) return null;
  const images = files.filter((f) => fileKind(f) === "image");
  const others = files.filter((f) => fileKind(f) !== "image");
  return h(
    "div",
    { class: "hw-files", "data-testid": testid },
    images.length
      ? h(
          "ul",
          { class: "hw-gallery" },
          images.map((f) => {
            const img = h("img", { src: f.has_thumbnail ? thumbnailUrl(f.id) : viewUrl(f.id), alt: f.name, loading: "lazy", decoding: "async", "data-testid": "hw-photo-img" });
            img.addEventListener("error", () => img.replaceWith(fileIcon(f, 40)), { once: true });
            return h("li", { "data-testid": "hw-photo", "data-file-id": f.id }, h("a", { href: viewUrl(f.id), target: "_blank", rel: "noopener", "aria-label": t("homework.openPhoto", { name: f.name }) }, img));
          }),
        )
      : null,
    others.length
      ? h(
          "ul",
          { class: "hw-file-list" },
          others.map((f) =>
            h(
              "li",
              { class: "hw-file", "data-testid": "hw-file", "data-file-id": f.id },
              fileIcon(f, 24),
              h("span", { class: "hw-file-name", dir: "auto", "data-testid": "hw-file-name" }, f.name),
              h("span", { class: "muted small" }, humanSize(f.size)),
              canOpenInline(f) ? h("a", { class: "link", href: viewUrl(f.id), target: "_blank", rel: "noopener", "aria-label": t("ding.fileOpenNamed", { name: f.name }) }, t("ding.fileOpen")) : null,
              h("a", { class: "link", href: downloadUrl(f.id), download: f.name, "aria-label": t("ding.fileDownloadNamed", { name: f.name }) }, t("ding.fileDownload")),
            ),
          ),
        )
      : null,
  );
}

/** Multi-line text as paragraphs (never HTML). */
export function textBlock(text, testid) {
  if (!text) return null;
  return h("div", { class: "hw-text", dir: "auto", "data-testid": testid }, text.split(/\n{2,}/).map((p) => h("p", {}, p)));
}

// ---------- the uploader ----------

function fileIdFromUrl(url) {
  return decodeURIComponent((url || "").replace(/[?#].*$/, "").split("/").filter(Boolean).pop() || "");
}

/**
 * Photos and files for a submission, a homework or a comment. Each chosen file uploads at
 * once (tus) with its own progress bar. photos: offer "Take a photo" (camera on phones) and
 * "Choose photos"; files: offer "Attach files". kept: files already attached (kept unless
 * removed; they are never deleted from the server here).
 * Returns {el, fileIds(), pending(), failed(), dispose()}.
 */
export function uploader({ legend, testid = "hw-upload", photos = true, files = true, max = 20, kept = [], onChange = () => {} }) {
  const supported = !!(window.tus && window.tus.isSupported);
  const items = kept.map((f) => ({ key: uid("up"), file: { name: f.name, size: f.size, type: f.content_type }, fileId: f.id, state: "done", bytes: f.size, kept: true, described: f }));
  const hintId = uid("up-hint");
  const live = h("span", { class: "sr-only", role: "status", "aria-live": "polite" });
  const list = h("ul", { class: "hw-uploads", "data-testid": `${testid}-list` });
  const hint = h("p", { class: "hint", id: hintId }, supported ? t("homework.uploadHint", { max }) : t("ding.fileUnsupported"));

  function input(attrs, suffix) {
    const el = h("input", { type: "file", hidden: true, tabindex: "-1", "data-testid": `${testid}-${suffix}`, ...attrs });
    el.addEventListener("change", () => {
      const chosen = [...(el.files || [])];
      el.value = "";
      add(chosen);
    });
    return el;
  }
  const camera = input({ accept: "image/*", capture: "environment" }, "camera");
  const gallery = input({ accept: "image/*", multiple: true }, "photos");
  const picker = input({ multiple: true }, "files");
  const button = (label, target, suffix) =>
    h("button", { type: "button", class: "btn btn-small", disabled: !supported, "aria-describedby": hintId, "data-testid": `${testid}-${suffix}-button`, onclick: () => target.click() }, label);
  const tools = h(
    "div",
    { class: "hw-upload-tools" },
    photos ? [button(t("homework.takePhoto"), camera, "camera"), button(t("homework.choosePhotos"), gallery, "photos")] : null,
    files ? button(t("homework.attachFiles"), picker, "files") : null,
  );
  const el = h("fieldset", { class: "hw-upload", "data-testid": testid }, h("legend", {}, legend), photos ? [camera, gallery] : null, files ? picker : null, list, tools, hint, live);

  function changed(message) {
    if (message) live.textContent = message;
    draw();
    try {
      onChange();
    } catch (e) {
      console.error(e);
    }
  }

  function add(chosen) {
    const room = max - items.length;
    if (chosen.length > room) live.textContent = t("homework.tooManyFiles", { max });
    for (const file of chosen.slice(0, Math.max(0, room))) {
      const item = { key: uid("up"), file, fileId: null, state: "uploading", bytes: 0, upload: null, error: null, canRetry: false };
      items.push(item);
      start(item);
    }
    changed();
  }

  function start(item) {
    item.state = "uploading";
    item.error = null;
    if (item.upload) {
      item.upload.start();
      changed();
      return;
    }
    const metadata = { filename: item.file.name || "photo.jpg" };
    if (item.file.type) metadata.filetype = item.file.type;
    item.upload = new window.tus.Upload(item.file, {
      endpoint: ENDPOINT,
      chunkSize: CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      metadata,
      storeFingerprintForResuming: false,
      onBeforeRequest: (req) => {
        for (const [name, value] of Object.entries(csrfHeaders())) req.setHeader(name, value);
      },
      onProgress: (sent) => {
        if (!items.includes(item)) return;
        item.bytes = sent;
        draw();
      },
      onSuccess: () => {
        if (!items.includes(item)) return;
        item.fileId = fileIdFromUrl(item.upload.url);
        item.bytes = item.file.size;
        item.state = "done";
        changed(`${item.file.name}: ${t("ding.fileUploaded")}`);
      },
      onError: (raw) => {
        if (!items.includes(item)) return;
        const error = tusError(raw);
        item.state = "failed";
        item.error = hwErrorText(error);
        item.canRetry = ![400, 403, 413, 422].includes(error.status);
        changed(`${item.file.name}: ${item.error}`);
      },
    });
    item.upload.start();
  }

  function remove(item) {
    items.splice(items.indexOf(item), 1);
    if (item.upload && item.state !== "done") item.upload.abort(true).catch(() => {});
    // A fresh upload nobody will see: drop it so it does not count against the quota.
    if (!item.kept && item.state === "done" && item.fileId) api.del(`/files/${encodeURIComponent(item.fileId)}`, { quiet401: true }).catch(() => {});
    changed(t("homework.fileRemoved", { name: item.file.name }));
  }

  function row(item) {
    const total = item.file.size || 0;
    const pct = item.state === "done" ? 100 : total ? Math.floor((item.bytes / total) * 100) : 0;
    let status;
    if (item.state === "uploading") {
      status = h(
        "span",
        { class: "hw-upload-progress" },
        h(
          "span",
          {
            class: "ding-bar",
            role: "progressbar",
            "aria-label": t("ding.fileProgressLabel", { name: item.file.name }),
            "aria-valuemin": "0",
            "aria-valuemax": "100",
            "aria-valuenow": String(pct),
            "aria-valuetext": t("ding.fileProgress", { done: humanSize(item.bytes), total: humanSize(total) }),
            "data-testid": "hw-upload-progress",
          },
          h("span", { class: "ding-bar-fill", style: `width:${pct}%` }),
        ),
        h("span", { class: "muted small" }, t("ding.fileUploading", { percent: pct })),
      );
    } else if (item.state === "done") {
      status = h("span", { class: "hw-upload-ok small", "data-testid": "hw-upload-done" }, item.kept ? t("homework.fileKept") : t("ding.fileUploaded"));
    } else {
      status = h(
        "span",
        { class: "hw-upload-error small", "data-testid": "hw-upload-error" },
        item.error,
        item.canRetry ? [" ", h("button", { type: "button", class: "link-btn link", onclick: () => start(item) }, t("ding.fileRetry"))] : null,
      );
    }
    const isImage = (item.file.type || "").startsWith("image/");
    let preview = fileIcon({ name: item.file.name, content_type: item.file.type }, 28);
    if (isImage && item.kept && item.fileId) preview = h("img", { class: "hw-upload-thumb", src: viewUrl(item.fileId), alt: "" });
    else if (isImage && item.file instanceof Blob) {
      item.previewUrl = item.previewUrl || URL.createObjectURL(item.file);
      preview = h("img", { class: "hw-upload-thumb", src: item.previewUrl, alt: "" });
    }
    return h(
      "li",
      { class: "hw-upload-row", "data-testid": "hw-upload-row", "data-state": item.state },
      preview,
      h("span", { class: "hw-upload-text" }, h("span", { class: "hw-file-name", dir: "auto", "data-testid": "hw-upload-name" }, item.file.name), h("span", { class: "muted small" }, humanSize(total)), status),
      h("button", { type: "button", class: "icon-btn", "aria-label": t("ding.fileRemove", { name: item.file.name }), "data-testid": "hw-upload-remove", onclick: () => remove(item) }, "×"),
    );
  }

  function draw() {
    clear(list, items.map(row));
  }

  draw();
  return {
    el,
    fileIds: () => items.filter((i) => i.state === "done" && i.fileId).map((i) => i.fileId),
    pending: () => items.some((i) => i.state === "uploading"),
    failed: () => items.some((i) => i.state === "failed"),
    /** After the work was sent: the files are in use, never delete them. */
    settle: () => items.forEach((i) => (i.kept = true)),
    dispose: () => {
      for (const item of items) {
        if (item.upload && item.state === "uploading") item.upload.abort(true).catch(() => {});
        if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
      }
    },
  };
}
