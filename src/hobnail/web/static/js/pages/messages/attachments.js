// A file message's content: a picture's thumbnail (opens full size in a viewer), a video
// player, an audio player, or a card with a type icon, name, size and Open / Download links.
// Every link goes through /api/v1/files/{id}/… which redirects to a fresh signed URL.

import { t } from "../../i18n.js";
import { h, dialog } from "../../ui.js";
import { humanSize, fileKind, fileIcon, canOpenInline, downloadUrl, viewUrl, thumbnailUrl, kindLabel } from "../../filetypes.js";
import { glyph } from "./glyphs.js";

const THUMB_BOX = 240; // CSS px: the largest side of a picture in the chat

/** Width and height to show a w×h picture in a box, never enlarged. */
function fit(width, height, box = THUMB_BOX) {
  if (!width || !height) return [box, Math.round(box * 0.75)];
  const scale = Math.min(1, box / width, box / height);
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

/** The full-size picture in a modal viewer, with Download and Open-in-new-tab. */
export function openImage(file) {
  const img = h("img", { class: "viewer-img", src: viewUrl(file.id), alt: file.name, "data-testid": "image-viewer-img" });
  if (file.width && file.height) {
    img.width = file.width;
    img.height = file.height;
  }
  const d = dialog({
    title: file.name,
    testid: "image-viewer",
    wide: true,
    content: h(
      "div",
      { class: "viewer" },
      h("div", { class: "viewer-stage" }, img),
      h(
        "div",
        { class: "viewer-actions" },
        h("span", { class: "muted small" }, [file.width && file.height ? `${file.width} × ${file.height}` : null, humanSize(file.size)].filter(Boolean).join(" · ")),
        h("a", { class: "btn btn-small", href: viewUrl(file.id), target: "_blank", rel: "noopener", "data-testid": "viewer-open" }, glyph("open", 14), t("files.openOriginal")),
        h("a", { class: "btn btn-small btn-primary", href: downloadUrl(file.id), download: file.name, "data-testid": "viewer-download" }, glyph("download", 14), t("files.download")),
      ),
    ),
  });
  d.el.classList.add("dialog-viewer");
  return d;
}

function fileCard(file) {
  const inline = canOpenInline(file);
  return h(
    "div",
    { class: "file-card", "data-testid": "file-card", "data-kind": fileKind(file) },
    fileIcon(file, 36),
    h(
      "div",
      { class: "file-card-text" },
      h("span", { class: "file-card-name", "data-testid": "file-name", title: file.name }, file.name),
      h("span", { class: "file-card-size", "data-testid": "file-size" }, humanSize(file.size)),
    ),
    h(
      "div",
      { class: "file-card-actions" },
      inline
        ? h(
            "a",
            { class: "file-link", href: viewUrl(file.id), target: "_blank", rel: "noopener", "data-testid": "file-open", "aria-label": t("files.openNamed", { name: file.name }) },
            t("files.open"),
          )
        : null,
      h("a", { class: "file-link", href: downloadUrl(file.id), download: file.name, "data-testid": "file-download", "aria-label": t("files.downloadNamed", { name: file.name }) }, t("files.download")),
    ),
  );
}

function picture(file) {
  const [width, height] = fit(file.width, file.height);
  return h(
    "button",
    {
      type: "button",
      class: "file-thumb",
      style: `width:${width}px;aspect-ratio:${width}/${height}`,
      "aria-label": t("files.viewImage", { name: file.name }),
      "aria-haspopup": "dialog",
      "data-testid": "file-image",
      onclick: () => openImage(file),
    },
    h("img", { src: thumbnailUrl(file.id), alt: file.name, width, height, loading: "lazy", decoding: "async", "data-testid": "file-thumbnail" }),
  );
}

function video(file) {
  const [width, height] = fit(file.width || 320, file.height || 180, 320);
  return h(
    "div",
    { class: "file-media" },
    h("video", { controls: true, preload: "metadata", src: viewUrl(file.id), width, height, "aria-label": file.name, "data-testid": "file-video", playsinline: true }),
    h("div", { class: "file-media-line" }, h("span", { class: "file-card-name", title: file.name }, file.name), h("a", { class: "file-link", href: downloadUrl(file.id), download: file.name, "data-testid": "file-download" }, t("files.download"))),
  );
}

function audio(file) {
  return h(
    "div",
    { class: "file-media" },
    fileCard(file),
    h("audio", { controls: true, preload: "none", src: viewUrl(file.id), "aria-label": file.name, "data-testid": "file-audio" }),
  );
}

/** The file part of a message bubble (the caption is rendered after it by render.js). */
export function renderAttachment(file) {
  const kind = fileKind(file);
  let body;
  if (kind === "image" && file.has_thumbnail) body = picture(file);
  else if (kind === "video" && canOpenInline(file)) body = video(file);
  else if (kind === "audio" && canOpenInline(file)) body = audio(file);
  else body = fileCard(file);
  return h("div", { class: `msg-file msg-file-${kind}`, "data-testid": "message-file", "data-file-id": file.id, "aria-label": `${kindLabel(file)} ${file.name}`, role: "group" }, body);
}
