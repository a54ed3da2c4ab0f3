// Files as people see them: human sizes, a kind per content type (for icons and how a file
// message shows), and the redirecting links that never go stale (each visit gets a fresh
// signed URL from the server).

import { t, getLang } from "./i18n.js";
import { h } from "./ui.js";

const BASE = "/api/v1/files";

// What the server shows inline (protocol.INLINE_TYPES); anything else only downloads.
const INLINE = new Set([
  "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
  "video/mp4", "video/webm", "video/ogg", "audio/mpeg", "audio/ogg", "audio/wav", "audio/webm",
  "audio/mp4", "application/pdf", "text/plain",
]);

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 1536 → "1.5 KB" (binary multiples, as file managers show them). */
export function humanSize(bytes) {
  let n = Number(bytes) || 0;
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || n >= 100 ? 0 : n >= 10 ? 1 : 2;
  const text = new Intl.NumberFormat(getLang(), { maximumFractionDigits: digits }).format(n);
  return `${text} ${UNITS[unit]}`;
}

/** Seconds → "45 s" / "3 min 5 s" / "1 h 2 min" in the user's language. */
export function humanDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t("files.seconds", { n: s });
  if (s < 3600) return t("files.minutes", { m: Math.floor(s / 60), s: s % 60 });
  return t("files.hours", { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

const BY_EXTENSION = [
  [/\.(docx?|odt|rtf|pages|wps)$/i, "doc"],
  [/\.(xlsx?|ods|csv|numbers|et)$/i, "sheet"],
  [/\.(pptx?|odp|key|dps)$/i, "slides"],
  [/\.(zip|rar|7z|tar|gz|tgz|bz2|xz)$/i, "archive"],
  [/\.(txt|md|log)$/i, "text"],
];

/** "image" | "video" | "audio" | "pdf" | "text" | "doc" | "sheet" | "slides" | "archive" | "other". */
export function fileKind(file) {
  const type = (file?.content_type || "").toLowerCase();
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  if (type === "application/pdf") return "pdf";
  if (type === "text/plain") return "text";
  for (const [pattern, kind] of BY_EXTENSION) if (pattern.test(file?.name || "")) return kind;
  return "other";
}

export function canOpenInline(file) {
  return INLINE.has((file?.content_type || "").toLowerCase());
}

export const downloadUrl = (id) => `${BASE}/${encodeURIComponent(id)}/download`;
export const viewUrl = (id) => `${BASE}/${encodeURIComponent(id)}/download?inline=true`;
export const thumbnailUrl = (id) => `${BASE}/${encodeURIComponent(id)}/thumbnail`;

const ICON = {
  image: ["#0e7c66", "IMG"],
  video: ["#7c3aed", "VID"],
  audio: ["#be185d", "AUD"],
  pdf: ["#cf1322", "PDF"],
  text: ["#646a73", "TXT"],
  doc: ["#1264e0", "DOC"],
  sheet: ["#237804", "XLS"],
  slides: ["#c2410c", "PPT"],
  archive: ["#8c6d1f", "ZIP"],
  other: ["#646a73", "FILE"],
};

/** A coloured document glyph with the kind's short label; decorative (the name says it all). */
export function fileIcon(file, size = 40) {
  const [color, label] = ICON[fileKind(file)];
  return h(
    "span",
    { class: "file-icon", style: `--file-color:${color};width:${size}px;height:${Math.round(size * 1.2)}px`, "aria-hidden": "true" },
    h("span", { class: "file-icon-label" }, label),
  );
}

/** The kind in words, for screen readers and previews ("[Image]", "[File]"). */
export function kindLabel(file) {
  const kind = fileKind(file);
  return t(`files.kind.${kind === "image" || kind === "video" || kind === "audio" ? kind : "file"}`);
}
