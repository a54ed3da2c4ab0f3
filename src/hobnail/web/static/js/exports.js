// Downloading an export (XLSX, CSV) with a progress bar: the file is fetched with a
// ReadableStream reader so the bar follows Content-Length, then handed to the browser as a
// download under the name the server gives. Used by the attendance report and the work
// report statistics.

import { t, errorText } from "./i18n.js";
import { csrfHeaders } from "./api.js";
import { h, toast } from "./ui.js";

function filename(response, fallback) {
  const header = response.headers.get("content-disposition") || "";
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  return m ? decodeURIComponent(m[1]) : fallback;
}

/** GET url as a file with progress(fraction|null); resolves {blob, name}. */
export async function fetchFile(url, fallback, progress) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "*/*", ...csrfHeaders() } });
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    const error = new Error(body?.error?.message || `HTTP ${response.status}`);
    error.code = body?.error?.code || "http_error";
    throw error;
  }
  const total = Number(response.headers.get("content-length")) || 0;
  const chunks = [];
  let received = 0;
  if (response.body && response.body.getReader) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      progress(total ? received / total : null, received);
    }
  } else {
    chunks.push(new Uint8Array(await response.arrayBuffer()));
  }
  progress(1, received);
  return { blob: new Blob(chunks, { type: response.headers.get("content-type") || "application/octet-stream" }), name: filename(response, fallback) };
}

export function save({ blob, name }) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * Export XLSX / CSV buttons and their progress bar. request(format) returns {url, name}
 * for the file, or null when the filters are incomplete. testid prefixes the test ids
 * (`${testid}-export-xlsx`, `${testid}-progress`, …). Returns {buttons, progress} elements.
 */
export function exportControls({ testid, request }) {
  const bar = h("span", { class: "ding-bar", role: "progressbar", "aria-label": t("attendanceAdmin.exporting"), "aria-valuemin": "0", "aria-valuemax": "100", "data-testid": `${testid}-progress-bar` }, h("span", { class: "ding-bar-fill", style: "width:0%" }));
  const barText = h("span", { class: "muted small", "data-testid": `${testid}-progress-text` });
  const progress = h("div", { class: "report-progress", "data-testid": `${testid}-progress`, hidden: true, "aria-live": "polite" }, bar, barText);
  const exportButton = (format) => h("button", { type: "button", class: "btn", "data-testid": `${testid}-export-${format}`, onclick: (e) => exportAs(format, e.currentTarget) }, t(`attendanceAdmin.export.${format}`));
  const list = [exportButton("xlsx"), exportButton("csv")];

  async function exportAs(format, button) {
    const wanted = request(format);
    if (!wanted) return;
    list.forEach((b) => (b.disabled = true));
    button.setAttribute("aria-busy", "true");
    progress.hidden = false;
    const fill = bar.firstChild;
    const show = (fraction, bytes) => {
      const pct = fraction === null ? null : Math.round(fraction * 100);
      bar.setAttribute("aria-valuenow", pct === null ? "" : String(pct));
      fill.style.width = `${pct === null ? 50 : pct}%`;
      barText.textContent = pct === null ? t("attendanceAdmin.exportBytes", { kb: Math.ceil(bytes / 1024) }) : t("attendanceAdmin.exportPercent", { percent: pct });
    };
    show(0, 0);
    try {
      const file = await fetchFile(wanted.url, wanted.name, show);
      save(file);
      barText.textContent = t("attendanceAdmin.exportDone", { name: file.name });
    } catch (error) {
      barText.textContent = errorText(error);
      toast(errorText(error), { type: "error" });
    } finally {
      list.forEach((b) => (b.disabled = false));
      button.removeAttribute("aria-busy");
    }
  }

  return { buttons: h("div", { class: "actions report-actions" }, list), progress };
}
