// A DING's attachment: the card recipients see (alert, detail, lists) and the composer's
// "Attach a file" control, which uploads one file with tus (window.tus, the vendored
// tus-js-client) before the DING is sent. Links go through /api/v1/files/{id}/… which
// redirect to a fresh signed URL, so they never go stale.

import { api, csrfHeaders, tusError } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, uid } from "../../ui.js";
import { humanSize, fileKind, fileIcon, canOpenInline, downloadUrl, viewUrl, thumbnailUrl } from "../../filetypes.js";

const ENDPOINT = "/api/v1/uploads/";
const CHUNK_SIZE = 8 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000];
const SVG = "http://www.w3.org/2000/svg";

function paperclip(size = 16) {
  const svg = document.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: size, height: size, fill: "none", stroke: "currentColor", "stroke-width": "1.8", "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false", class: "icon" })) {
    svg.setAttribute(k, v);
  }
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M20.5 11.5l-8.4 8.4a5.3 5.3 0 0 1-7.5-7.5l8.4-8.4a3.5 3.5 0 0 1 5 5l-8.4 8.4a1.8 1.8 0 0 1-2.5-2.5l7.7-7.7");
  svg.append(path);
  return svg;
}

/** Width and height to show a w×h picture in a box, never enlarged. */
function fit(width, height, box) {
  if (!width || !height) return [box, Math.round(box * 0.75)];
  const scale = Math.min(1, box / width, box / height);
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

// ---------- what recipients see ----------

/**
 * The attachment of a DING: a thumbnail for pictures that have one (else a type icon), the
 * name and size, and Open (types the browser shows) / Download links. compact: for list rows.
 */
export function dingFile(file, { compact = false } = {}) {
  const inline = canOpenInline(file);
  const openHref = inline ? viewUrl(file.id) : downloadUrl(file.id);
  const picture = fileKind(file) === "image" && file.has_thumbnail;
  const iconSize = compact ? 24 : 36;
  let preview;
  if (picture) {
    const [width, height] = fit(file.width, file.height, compact ? 56 : 240);
    const img = h("img", { src: thumbnailUrl(file.id), alt: "", width, height, decoding: "async", loading: compact ? "lazy" : null, "data-testid": "ding-file-thumbnail" });
    // A missing thumbnail falls back to the icon rather than a broken image.
    img.addEventListener("error", () => preview.replaceWith(fileIcon(file, iconSize)), { once: true });
    // The Open link says the same; this one is a bigger target for the mouse only.
    preview = h("span", { class: "ding-file-preview" }, h("a", { class: "ding-file-thumb", href: openHref, target: "_blank", rel: "noopener", tabindex: "-1", "aria-hidden": "true" }, img));
  } else {
    preview = fileIcon(file, iconSize);
  }
  const openLink = h(
    "a",
    { class: compact ? "link" : "btn btn-small", href: viewUrl(file.id), target: "_blank", rel: "noopener", "data-testid": "ding-file-open", "aria-label": t("ding.fileOpenNamed", { name: file.name }) },
    t("ding.fileOpen"),
  );
  const downloadLink = h(
    "a",
    { class: compact ? "link" : "btn btn-small", href: downloadUrl(file.id), download: file.name, "data-testid": "ding-file-download", "aria-label": t("ding.fileDownloadNamed", { name: file.name }) },
    t("ding.fileDownload"),
  );
  return h(
    "div",
    {
      class: `ding-file${compact ? " compact" : ""}${picture ? " has-thumb" : ""}`,
      role: "group",
      "aria-label": t("ding.attachmentNamed", { name: file.name }),
      "data-testid": "ding-file",
      "data-file-id": file.id,
    },
    preview,
    h(
      "div",
      { class: "ding-file-text" },
      h("span", { class: "ding-file-name", title: file.name, dir: "auto", "data-testid": "ding-file-name" }, file.name),
      h("span", { class: "ding-file-size", "data-testid": "ding-file-size" }, humanSize(file.size)),
    ),
    h("div", { class: "ding-file-actions" }, compact ? (inline ? openLink : downloadLink) : [inline ? openLink : null, downloadLink]),
  );
}

// ---------- the composer's control ----------


function uploadErrorText(error) {
  const d = error.details || {};
  if (error.code === "file_too_large" && d.limit) return t("ding.fileTooLarge", { limit: humanSize(d.limit) });
  if (error.code === "quota_exceeded" && d.quota) return t("ding.fileQuotaFull", { used: humanSize(d.used), quota: humanSize(d.quota) });
  return errorText(error);
}

/**
 * "Attach a file": one file at most (choosing another replaces it; the unfinished upload is
 * terminated). fromMessage: the file of the DINGed chat message, which goes along unless
 * another is attached. onChange() whenever the state changes.
 * Returns {el, state() → "none" | "uploading" | "done" | "failed", fileId(), dispose()}.
 */
export function attachmentPicker({ fromMessage = null, onChange = () => {} } = {}) {
  const supported = !!(window.tus && window.tus.isSupported);
  const inputId = uid("ding-file");
  const hintId = `${inputId}-hint`;
  let current = null; // {file, upload, state, bytes, fileId, error}

  const input = h("input", { type: "file", id: inputId, hidden: true, "data-testid": "ding-file-input", tabindex: "-1" });
  const button = h(
    "button",
    { type: "button", class: "btn btn-small", "data-testid": "ding-attach", "aria-describedby": hintId, disabled: !supported, onclick: () => input.click() },
    paperclip(16),
    t("ding.attach"),
  );
  const row = h("div", { class: "ding-attach-row", "data-testid": "ding-attachment" });
  // State changes only (uploaded, failed), not every progress step.
  const live = h("span", { class: "sr-only", role: "status" });
  const hint = h(
    "p",
    { class: "hint", id: hintId },
    !supported ? t("ding.fileUnsupported") : fromMessage ? t("ding.attachFromMessage") : t("ding.attachmentHint"),
  );
  const el = h("fieldset", { class: "ding-attach", "data-testid": "ding-attach-box" }, h("legend", {}, t("ding.attachment")), input, row, live, h("div", { class: "ding-attach-tools" }, button), hint);

  function emit() {
    draw();
    const c = current;
    live.textContent = !c ? "" : c.state === "done" ? `${c.file.name}: ${t("ding.fileUploaded")}` : c.state === "failed" ? c.error : "";
    try {
      onChange();
    } catch (e) {
      console.error(e);
    }
  }

  function draw() {
    clear(button, paperclip(16), current ? t("ding.attachReplace") : t("ding.attach"));
    if (!current) {
      row.dataset.state = fromMessage ? "message" : "none";
      clear(row, fromMessage ? dingFile(fromMessage) : null);
      return;
    }
    const c = current;
    row.dataset.state = c.state;
    const total = c.file.size;
    const pct = c.state === "done" ? 100 : total ? Math.floor((c.bytes / total) * 100) : 0;
    let status = null;
    if (c.state === "uploading") {
      status = h(
        "div",
        { class: "ding-attach-progress" },
        h(
          "span",
          {
            class: "ding-bar",
            role: "progressbar",
            "aria-label": t("ding.fileProgressLabel", { name: c.file.name }),
            "aria-valuemin": "0",
            "aria-valuemax": "100",
            "aria-valuenow": String(pct),
            "aria-valuetext": t("ding.fileProgress", { done: humanSize(c.bytes), total: humanSize(total) }),
            "data-testid": "ding-file-progress",
          },
          h("span", { class: "ding-bar-fill", style: `width:${pct}%` }),
        ),
        h("span", { class: "muted small", "data-testid": "ding-file-status" }, t("ding.fileUploading", { percent: pct })),
      );
    } else if (c.state === "done") {
      status = h("span", { class: "ding-attach-ok small", "data-testid": "ding-file-status" }, t("ding.fileUploaded"));
    } else if (c.state === "failed") {
      status = h(
        "span",
        { class: "ding-attach-error small", "data-testid": "ding-file-error" },
        c.error,
        c.canRetry ? [" ", h("button", { type: "button", class: "link-btn link", "data-testid": "ding-file-retry", onclick: () => start(c) }, t("ding.fileRetry"))] : null,
      );
    }
    clear(
      row,
      h(
        "div",
        { class: "ding-attach-item", "data-testid": "ding-file-pending" },
        fileIcon({ name: c.file.name, content_type: c.file.type }, 28),
        h(
          "div",
          { class: "ding-file-text" },
          h("span", { class: "ding-file-name", title: c.file.name, dir: "auto", "data-testid": "ding-file-name" }, c.file.name),
          h("span", { class: "ding-file-size", "data-testid": "ding-file-size" }, humanSize(total)),
          status,
        ),
        h(
          "button",
          { type: "button", class: "icon-btn", "data-testid": "ding-file-remove", "aria-label": t("ding.fileRemove", { name: c.file.name }), onclick: () => (remove(), button.focus()) },
          "×",
        ),
      ),
    );
  }

  function start(c) {
    c.state = "uploading";
    c.error = null;
    if (c.upload) {
      // Retry: tus asks the server for its offset and continues from there.
      c.upload.start();
      emit();
      return;
    }
    const metadata = { filename: c.file.name };
    if (c.file.type) metadata.filetype = c.file.type;
    c.upload = new window.tus.Upload(c.file, {
      endpoint: ENDPOINT,
      chunkSize: CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      metadata,
      // Not resumable across reloads: the composer is gone then, and the chat's own uploads
      // keep their fingerprints in the same storage.
      storeFingerprintForResuming: false,
      onBeforeRequest: (req) => {
        for (const [name, value] of Object.entries(csrfHeaders())) req.setHeader(name, value);
      },
      onProgress: (sent) => {
        if (current !== c) return;
        c.bytes = sent;
        draw();
      },
      onSuccess: () => {
        if (current !== c) return;
        const url = c.upload.url || "";
        c.fileId = decodeURIComponent(url.replace(/[?#].*$/, "").split("/").filter(Boolean).pop() || "");
        c.bytes = c.file.size;
        c.state = "done";
        emit();
      },
      onError: (raw) => {
        if (current !== c) return;
        const error = tusError(raw);
        c.state = "failed";
        c.error = uploadErrorText(error);
        // Refused outright (too large, storage full, bad name): choosing again will not help.
        c.canRetry = ![400, 403, 413, 422].includes(error.status);
        emit();
      },
    });
    c.upload.start();
    emit();
  }

  /** Stop an unfinished upload (tus termination drops its bytes on the server). */
  function stop(c) {
    if (c && c.upload && c.state !== "done") c.upload.abort(true).catch(() => {});
  }

  /** A finished file the sender took off again: delete it so it stops counting against the quota. */
  function discard(c) {
    stop(c);
    if (c && c.state === "done" && c.fileId) {
      api.del(`/files/${encodeURIComponent(c.fileId)}`, { quiet401: true }).catch(() => {});
    }
  }

  function remove() {
    const c = current;
    current = null;
    discard(c);
    emit();
  }

  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    const previous = current;
    current = { file, upload: null, state: "uploading", bytes: 0, fileId: null, error: null, canRetry: false };
    discard(previous);
    start(current);
  });

  draw();
  return {
    el,
    state: () => (current ? current.state : "none"),
    fileId: () => (current && current.state === "done" ? current.fileId : null),
    dispose: () => {
      const c = current;
      current = null;
      stop(c);
    },
  };
}
