// Resumable uploads into chats (tus 1.0.0 via the vendored tus-js-client, window.tus).
//
// One queue for the whole page: an upload goes on while its chat is closed, and when it
// completes it is sent as a file message to the chat it was started in. The browser keeps a
// fingerprint of each unfinished upload (localStorage), so choosing the same file again in
// the same chat — after a pause, a reload or a closed tab — continues from the server's
// offset instead of from zero. GET /uploads lists what the server still holds.

import { api, csrfHeaders, tusError } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { onSessionChange } from "../../app.js";
import { user } from "../../state.js";
import { humanSize } from "../../filetypes.js";

const ENDPOINT = "/api/v1/uploads/";
const CHUNK_SIZE = 8 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
const PARALLEL = 3;
const SPEED_WINDOW_MS = 5000;

/**
 * An item: {key, convId, file, name, size, state, bytes, fileId, upload, error, canRetry, samples}.
 * state: "queued" | "starting" | "uploading" | "paused" | "sending" | "failed".
 * Finished (sent) and cancelled items leave the list.
 */
const items = [];
const listeners = new Set();
let counter = 0;

/** fn(item, change): change is "add" | "update" | "sent" (with the message) | "removed". */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(item, change = "update", message = null) {
  for (const fn of listeners) {
    try {
      fn(item, change, message);
    } catch (e) {
      console.error(e);
    }
  }
}

export function itemsIn(convId) {
  return items.filter((i) => i.convId === convId);
}

export function isSupported() {
  return !!(window.tus && window.tus.isSupported);
}

function idFromUrl(url) {
  const match = /\/uploads\/([^/?#]+)/.exec(url || "");
  return match ? decodeURIComponent(match[1]) : null;
}

/** Bytes per second over the last few seconds (0 when nothing moved lately). */
export function speedOf(item) {
  const now = performance.now();
  const recent = item.samples.filter(([at]) => now - at <= SPEED_WINDOW_MS);
  if (recent.length < 2) return 0;
  const [t0, b0] = recent[0];
  const seconds = (now - t0) / 1000;
  return seconds > 0.5 ? (item.bytes - b0) / seconds : 0;
}

// ---------- adding ----------

/**
 * Queue files for a chat. With `resume` (a row of GET /uploads the person chose the file
 * again for) the server's upload is continued even if this browser lost its fingerprint.
 * Files above the organisation's limit are refused here, before any byte is sent.
 */
export async function addFiles(convId, files, { resume = null } = {}) {
  let limits = null;
  try {
    limits = await api.get("/files/settings");
  } catch {
    /* the server checks again when the upload is created */
  }
  for (const file of files) {
    const item = {
      key: `up-${++counter}`,
      convId,
      file,
      name: file.name,
      size: file.size,
      state: "queued",
      bytes: resume ? resume.offset : 0,
      fileId: resume ? resume.id : null,
      resumeUrl: resume ? resume.url : null,
      upload: null,
      error: null,
      canRetry: false,
      samples: [],
    };
    items.push(item);
    if (limits && file.size > limits.max_file_bytes) {
      item.bytes = 0;
      fail(item, t("files.tooLarge", { limit: humanSize(limits.max_file_bytes) }), false, false);
    }
    emit(item, "add");
  }
  pump();
}

function pump() {
  let running = items.filter((i) => i.state === "starting" || i.state === "uploading").length;
  for (const item of items) {
    if (running >= PARALLEL) break;
    if (item.state === "queued") {
      running += 1;
      start(item);
    }
  }
}

async function start(item) {
  item.state = "starting";
  emit(item);
  if (!isSupported()) return fail(item, t("files.unsupported"), false);
  const me = user()?.id || "";
  const metadata = { filename: item.name, conversation_id: item.convId };
  if (item.file.type) metadata.filetype = item.file.type;
  const upload = new window.tus.Upload(item.file, {
    endpoint: ENDPOINT,
    chunkSize: CHUNK_SIZE,
    retryDelays: RETRY_DELAYS,
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    metadata,
    // Per person and chat, so the same file sent to two chats is two uploads.
    fingerprint: (file) => Promise.resolve(["hobnail", me, item.convId, file.name, file.type, file.size, file.lastModified].join("|")),
    onBeforeRequest: (req) => {
      for (const [name, value] of Object.entries(csrfHeaders())) req.setHeader(name, value);
    },
    onAfterResponse: (req, res) => {
      const id = res.getHeader("Hobnail-File-Id");
      if (id) item.fileId = id;
    },
    onUploadUrlAvailable: () => {
      item.fileId = idFromUrl(upload.url);
      emit(item);
    },
    onProgress: (sent) => progress(item, sent),
    onSuccess: () => uploaded(item),
    onError: (error) => failedUpload(item, error),
  });
  item.upload = upload;
  try {
    const previous = await upload.findPreviousUploads();
    const wanted = item.resumeUrl ? idFromUrl(item.resumeUrl) : null;
    previous.sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
    const match = previous.find((p) => wanted && idFromUrl(p.uploadUrl) === wanted) || previous[0];
    if (match) upload.resumeFromPreviousUpload(match);
    else if (item.resumeUrl) upload.resumeFromPreviousUpload({ uploadUrl: item.resumeUrl, urlStorageKey: null });
  } catch {
    /* no stored fingerprints (private mode): start afresh */
  }
  if (item.state !== "starting") return; // cancelled or paused meanwhile
  go(item);
}

function go(item) {
  item.state = "uploading";
  item.error = null;
  item.samples = [[performance.now(), item.bytes]];
  emit(item);
  item.upload.start();
}

function progress(item, sent) {
  item.bytes = sent;
  item.samples.push([performance.now(), sent]);
  if (item.samples.length > 50) item.samples.splice(0, item.samples.length - 50);
  emit(item);
}

async function uploaded(item) {
  item.fileId = item.fileId || idFromUrl(item.upload.url);
  item.bytes = item.size;
  await send(item);
  pump();
}

async function send(item) {
  item.state = "sending";
  item.error = null;
  emit(item);
  try {
    // The client id comes from the upload, so a second try (or tab) never sends it twice.
    const message = await api.post(`/conversations/${item.convId}/messages`, { file_id: item.fileId, client_msg_id: `file-${item.fileId}` });
    drop(item, "sent", message);
  } catch (error) {
    fail(item, errorText(error), true);
  }
}

// ---------- errors ----------


/** The row's text for a refused or failed upload. */
export function uploadErrorText(error) {
  const d = error.details || {};
  if (error.code === "file_too_large" && d.limit) return t("files.tooLarge", { limit: humanSize(d.limit) });
  if (error.code === "quota_exceeded" && d.quota) return t("files.quotaFull", { used: humanSize(d.used), quota: humanSize(d.quota) });
  if (error.code === "invalid_file_name") return t("files.badName", { message: error.message });
  if (error.code === "upload_expired") return t("files.expired");
  return errorText(error);
}

function failedUpload(item, raw) {
  const error = tusError(raw);
  const final = error.status === 400 || error.status === 413 || error.status === 422 || error.status === 403;
  fail(item, uploadErrorText(error), !final);
}

function fail(item, text, canRetry, notify = true) {
  item.state = "failed";
  item.error = text;
  item.canRetry = canRetry;
  if (notify) emit(item);
  pump();
}

// ---------- controls ----------

export function pause(item) {
  if (item.state !== "uploading" && item.state !== "starting") return;
  item.state = "paused";
  item.upload?.abort(false);
  emit(item);
  pump();
}

export function resume(item) {
  if (item.state !== "paused") return;
  if (item.upload) go(item);
  else {
    item.state = "queued";
    pump();
  }
}

export function retry(item) {
  if (item.state !== "failed" || !item.canRetry) return;
  if (item.bytes >= item.size && item.fileId) return send(item);
  if (item.upload) go(item);
  else {
    item.state = "queued";
    pump();
  }
}

/** Stop and forget: the server drops the bytes (tus termination). */
export async function cancel(item) {
  const upload = item.upload;
  const id = item.fileId;
  drop(item, "removed");
  pump();
  try {
    if (upload) await upload.abort(true);
    else if (id) await terminate(id);
  } catch {
    /* already gone, or expires by itself */
  }
  if (id) forgetFingerprints(id);
}

function drop(item, change, message = null) {
  const i = items.indexOf(item);
  if (i >= 0) items.splice(i, 1);
  item.state = change;
  emit(item, change, message);
}

// ---------- unfinished uploads on the server ----------

/** My unfinished uploads for a chat that this page is not working on. */
export async function unfinishedIn(convId) {
  const list = await api.get("/uploads");
  const busy = new Set(items.map((i) => i.fileId).filter(Boolean));
  return list.filter((u) => u.metadata && u.metadata.conversation_id === convId && u.status === "uploading" && !busy.has(u.id));
}

function terminate(id) {
  return window.tus.Upload.terminate(`${ENDPOINT}${encodeURIComponent(id)}`, {
    retryDelays: [0, 1000],
    onBeforeRequest: (req) => {
      for (const [name, value] of Object.entries(csrfHeaders())) req.setHeader(name, value);
    },
  });
}

/** Throw away an unfinished upload listed by the server. */
export async function discard(upload) {
  await terminate(upload.id);
  forgetFingerprints(upload.id);
}

function forgetFingerprints(id) {
  try {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith("tus::")) continue;
      const entry = JSON.parse(localStorage.getItem(key) || "null");
      if (entry && idFromUrl(entry.uploadUrl) === id) localStorage.removeItem(key);
    }
  } catch {
    /* storage unavailable */
  }
}

onSessionChange(() => {
  // Another person (or none) is signed in now: stop, but keep the bytes for resuming.
  for (const item of [...items]) {
    item.upload?.abort(false);
    drop(item, "removed");
  }
});
