// The chat's upload rows above the composer (name, size, progress, speed, time left, pause,
// resume, retry, cancel), the unfinished uploads the server still holds for this chat (after a
// reload: "choose the file again to continue") and the drop zone for dragged files.

import { t, errorText } from "../../i18n.js";
import { h, clear, toast, confirmDialog } from "../../ui.js";
import { humanSize, humanDuration, fileIcon } from "../../filetypes.js";
import { glyph } from "./glyphs.js";
import * as uploads from "./uploads.js";

const percent = (done, total) => (total ? Math.min(100, Math.floor((done / total) * 100)) : 100);

function progressBar(name, value) {
  const fill = h("span", { class: "upload-bar-fill", style: `width:${value}%` });
  const bar = h(
    "div",
    {
      class: "upload-bar",
      role: "progressbar",
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "aria-valuenow": String(value),
      "aria-label": t("files.progressOf", { name }),
      "data-testid": "upload-progress",
    },
    fill,
  );
  bar.set = (v) => {
    bar.setAttribute("aria-valuenow", String(v));
    fill.style.width = `${v}%`;
  };
  return bar;
}

function iconButton(name, label, testid, onclick) {
  return h("button", { type: "button", class: "icon-btn upload-btn", "aria-label": label, title: label, "data-testid": testid, onclick }, glyph(name, 16));
}

/**
 * createUploadTray({convId, canSend() → bool, onSent(message)}) → {el, drop, addFiles(files), destroy()}.
 * `drop` is the overlay to place over the chat; watchDrops(target) wires drag-and-drop onto it.
 */
export function createUploadTray({ convId, canSend, onSent }) {
  const list = h("ul", { class: "upload-list" });
  const el = h("section", { class: "upload-tray", hidden: true, "aria-label": t("files.uploads"), "data-testid": "upload-tray" }, list);
  const again = h("input", { type: "file", hidden: true, "data-testid": "upload-again-input" });
  el.append(again);
  const rows = new Map(); // item key → {li, bar, status, actions, error}
  let unfinished = [];
  let destroyed = false;
  let resumeTarget = null;

  // ---------- rows of this page's uploads ----------

  function statusText(item) {
    const done = humanSize(item.bytes);
    const total = humanSize(item.size);
    switch (item.state) {
      case "queued":
        return t("files.waiting");
      case "starting":
        return item.bytes ? t("files.resuming", { done, total }) : t("files.preparing");
      case "paused":
        return t("files.pausedAt", { done, total });
      case "sending":
        return t("files.sendingFile");
      case "failed":
        return "";
      default: {
        const speed = uploads.speedOf(item);
        if (speed <= 0) return t("files.progress", { done, total });
        return t("files.progressSpeed", { done, total, speed: humanSize(speed), left: humanDuration((item.size - item.bytes) / speed) });
      }
    }
  }

  function actionsFor(item) {
    const name = item.name;
    const out = [];
    if (item.state === "uploading" || item.state === "starting") {
      out.push(iconButton("pause", t("files.pause", { name }), "upload-pause", () => uploads.pause(item)));
    } else if (item.state === "paused") {
      out.push(iconButton("play", t("files.resume", { name }), "upload-resume", () => uploads.resume(item)));
    } else if (item.state === "failed" && item.canRetry) {
      out.push(iconButton("retry", t("files.retry", { name }), "upload-retry", () => uploads.retry(item)));
    }
    if (item.state !== "sending") {
      const label = item.state === "failed" && !item.canRetry ? t("files.dismiss", { name }) : t("files.cancel", { name });
      out.push(iconButton("close", label, "upload-cancel", () => uploads.cancel(item)));
    }
    return out;
  }

  function buildRow(item) {
    const bar = progressBar(item.name, percent(item.bytes, item.size));
    const pct = h("span", { class: "upload-pct", "data-testid": "upload-percent" });
    const status = h("span", { class: "upload-status", "data-testid": "upload-status", "aria-live": "off" });
    const error = h("p", { class: "upload-error", role: "alert", "data-testid": "upload-error", hidden: true });
    const actions = h("div", { class: "upload-actions" });
    const li = h(
      "li",
      { class: "upload-row", "data-testid": "upload-row", "data-upload-key": item.key },
      fileIcon({ name: item.name, content_type: item.file.type }, 28),
      h(
        "div",
        { class: "upload-main" },
        h("div", { class: "upload-line" }, h("span", { class: "upload-name", "data-testid": "upload-name", title: item.name }, item.name), h("span", { class: "upload-size" }, humanSize(item.size))),
        bar,
        h("div", { class: "upload-line upload-sub" }, status, pct),
        error,
      ),
      actions,
    );
    const row = { li, bar, pct, status, error, actions, state: null, canRetry: null };
    rows.set(item.key, row);
    return row;
  }

  function updateRow(item) {
    const row = rows.get(item.key) || buildRow(item);
    const value = percent(item.bytes, item.size);
    row.bar.set(value);
    row.pct.textContent = item.state === "failed" ? "" : `${value}%`;
    row.status.textContent = statusText(item);
    row.li.dataset.state = item.state;
    if (item.fileId) row.li.dataset.uploadId = item.fileId;
    row.error.hidden = item.state !== "failed";
    row.error.textContent = item.state === "failed" ? item.error || "" : "";
    if (row.state !== item.state || row.canRetry !== item.canRetry) {
      const focused = row.actions.contains(document.activeElement);
      clear(row.actions, actionsFor(item));
      if (focused) row.actions.querySelector("button")?.focus();
      row.state = item.state;
      row.canRetry = item.canRetry;
    }
    return row;
  }

  // ---------- rows of unfinished uploads the server holds ----------

  function unfinishedRow(u) {
    const value = percent(u.offset, u.size);
    const note = h("p", { class: "upload-error", role: "alert", "data-testid": "upload-error", hidden: true });
    return h(
      "li",
      { class: "upload-row upload-row-stale", "data-testid": "upload-unfinished", "data-upload-id": u.id },
      fileIcon({ name: u.name, content_type: u.content_type }, 28),
      h(
        "div",
        { class: "upload-main" },
        h("div", { class: "upload-line" }, h("span", { class: "upload-name", "data-testid": "upload-name", title: u.name }, u.name), h("span", { class: "upload-size" }, humanSize(u.size))),
        progressBar(u.name, value),
        h(
          "div",
          { class: "upload-line upload-sub" },
          h("span", { class: "upload-status", "data-testid": "upload-status" }, t("files.stoppedAt", { done: humanSize(u.offset), total: humanSize(u.size) })),
          h("span", { class: "upload-pct", "data-testid": "upload-percent" }, `${value}%`),
        ),
        note,
      ),
      h(
        "div",
        { class: "upload-actions" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-small",
            "data-testid": "upload-choose-again",
            "aria-label": t("files.chooseAgainFor", { name: u.name }),
            onclick: () => {
              resumeTarget = { upload: u, note };
              again.value = "";
              again.click();
            },
          },
          t("files.chooseAgain"),
        ),
        iconButton("close", t("files.discard", { name: u.name }), "upload-discard", () => discard(u)),
      ),
    );
  }

  again.addEventListener("change", () => {
    const file = again.files && again.files[0];
    const target = resumeTarget;
    resumeTarget = null;
    if (!file || !target) return;
    const u = target.upload;
    if (file.name !== u.name || file.size !== u.size) {
      target.note.hidden = false;
      target.note.textContent = t("files.notSameFile", { name: u.name, size: humanSize(u.size) });
      return;
    }
    unfinished = unfinished.filter((x) => x.id !== u.id);
    uploads.addFiles(convId, [file], { resume: u });
  });

  async function discard(u) {
    const ok = await confirmDialog({ title: t("files.discardTitle"), message: t("files.discardConfirm", { name: u.name }), confirmLabel: t("files.discardOk"), danger: true });
    if (!ok) return;
    try {
      await uploads.discard(u);
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
    unfinished = unfinished.filter((x) => x.id !== u.id);
    render();
  }

  async function loadUnfinished() {
    try {
      unfinished = await uploads.unfinishedIn(convId);
    } catch {
      unfinished = [];
    }
    if (!destroyed) render();
  }

  // ---------- the list ----------

  function render() {
    const mine = uploads.itemsIn(convId);
    const busy = new Set(mine.map((i) => i.fileId).filter(Boolean));
    for (const key of [...rows.keys()]) if (!mine.some((i) => i.key === key)) rows.delete(key);
    const stale = unfinished.filter((u) => !busy.has(u.id));
    const focused = document.activeElement && list.contains(document.activeElement);
    clear(list, stale.map(unfinishedRow), mine.map((item) => updateRow(item).li));
    if (focused && !list.contains(document.activeElement)) list.querySelector("button")?.focus();
    el.hidden = !mine.length && !stale.length;
    ticking(mine.some((i) => i.state === "uploading"));
  }

  let timer = null;
  function ticking(on) {
    if (on && !timer) timer = setInterval(() => uploads.itemsIn(convId).forEach((i) => rows.has(i.key) && updateRow(i)), 1000);
    if (!on && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  const stop = uploads.subscribe((item, change, message) => {
    if (destroyed || item.convId !== convId) return;
    if (change === "sent" && onSent) onSent(message);
    // A file chosen again by drag-and-drop or the attach button resumes a server-held upload:
    // its "unfinished" row goes.
    if (item.fileId && unfinished.some((u) => u.id === item.fileId)) {
      unfinished = unfinished.filter((u) => u.id !== item.fileId);
      render();
    } else if (change === "update" && rows.has(item.key)) {
      updateRow(item);
      ticking(uploads.itemsIn(convId).some((i) => i.state === "uploading"));
    } else render();
  });

  // ---------- adding: picker, paste, drop ----------

  function addFiles(files) {
    const list = [...(files || [])].filter((f) => f && typeof f.size === "number");
    if (!list.length) return;
    if (!canSend()) {
      toast(t("files.cannotSendHere"), { type: "error" });
      return;
    }
    uploads.addFiles(convId, list);
  }

  const drop = h("div", { class: "chat-drop", hidden: true, "data-testid": "drop-zone", "aria-hidden": "true" }, h("div", { class: "chat-drop-box" }, glyph("upload", 32), h("p", {}, t("files.dropHere"))));

  function watchDrops(target) {
    let depth = 0;
    const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes("Files");
    target.addEventListener("dragenter", (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth += 1;
      drop.hidden = false;
    });
    target.addEventListener("dragover", (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = canSend() ? "copy" : "none";
    });
    target.addEventListener("dragleave", (e) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) drop.hidden = true;
    });
    target.addEventListener("drop", (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      drop.hidden = true;
      addFiles(e.dataTransfer.files);
    });
  }

  render();
  loadUnfinished();

  return {
    el,
    drop,
    watchDrops,
    addFiles,
    destroy() {
      destroyed = true;
      stop();
      ticking(false);
    },
  };
}
