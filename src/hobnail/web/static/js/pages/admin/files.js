// /admin/files: storage used against the quota, how many files, where they are kept, and the
// organisation's largest file and quota (PATCH /files/settings).

import { api } from "../../api.js";
import { t, has, errorText } from "../../i18n.js";
import { h, clear, field, formError, showError, clearErrors, busy, toast, loading } from "../../ui.js";
import { humanSize } from "../../filetypes.js";
import { adminFrame } from "./layout.js";

const MIB = 1024 * 1024;

function backendLabel(name) {
  const key = `adminFiles.backend${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  return has(key) ? t(key) : name;
}

function usage(settings) {
  const used = settings.used_bytes;
  const quota = settings.quota_bytes;
  const share = quota ? Math.min(100, Math.round((used / quota) * 100)) : null;
  const full = share !== null && share >= 90;
  return h(
    "div",
    { class: "storage", "data-testid": "files-usage" },
    h(
      "p",
      { class: "storage-figure" },
      h("strong", { "data-testid": "files-used" }, humanSize(used)),
      " ",
      quota ? t("adminFiles.ofQuota", { quota: humanSize(quota) }) : t("adminFiles.noQuota"),
    ),
    share !== null
      ? h(
          "div",
          {
            class: `storage-bar${full ? " storage-bar-full" : ""}`,
            role: "progressbar",
            "aria-valuemin": "0",
            "aria-valuemax": "100",
            "aria-valuenow": String(share),
            "aria-valuetext": t("adminFiles.usedShare", { share }),
            "aria-label": t("adminFiles.storage"),
            "data-testid": "files-usage-bar",
          },
          h("span", { class: "storage-bar-fill", style: `width:${share}%` }),
        )
      : null,
    h(
      "dl",
      { class: "kvs" },
      h("div", { class: "kv" }, h("dt", {}, t("adminFiles.fileCount")), h("dd", { "data-testid": "files-count" }, String(settings.file_count))),
      h("div", { class: "kv" }, h("dt", {}, t("adminFiles.backend")), h("dd", { "data-testid": "files-backend", "data-backend": settings.storage_backend }, backendLabel(settings.storage_backend))),
      h("div", { class: "kv" }, h("dt", {}, t("adminFiles.largestNow")), h("dd", { "data-testid": "files-max-now" }, humanSize(settings.max_file_bytes))),
    ),
  );
}

export async function render(ctx) {
  const content = adminFrame(ctx, "files");
  const box = h("div", {}, loading());
  content.append(box);
  let settings;
  try {
    settings = await api.get("/files/settings");
  } catch (error) {
    clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    return;
  }
  if (!ctx.isCurrent()) return;

  const serverMaxMb = Math.floor(settings.server_max_file_bytes / MIB);
  const usageCard = h("section", { class: "card" }, h("h2", {}, t("adminFiles.storage")), usage(settings));
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true, "data-testid": "files-settings-form" },
    field({
      label: t("adminFiles.maxFileMb"),
      name: "max_file_mb",
      type: "number",
      value: settings.max_file_mb,
      required: true,
      testid: "files-max-mb",
      hint: t("adminFiles.maxFileHint", { server: humanSize(settings.server_max_file_bytes) }),
      attrs: { min: 1, max: serverMaxMb || null, step: 1, inputmode: "numeric" },
    }),
    field({
      label: t("adminFiles.quotaMb"),
      name: "quota_mb",
      type: "number",
      value: settings.quota_mb,
      required: true,
      testid: "files-quota-mb",
      hint: t("adminFiles.quotaHint"),
      attrs: { min: 0, step: 1, inputmode: "numeric" },
    }),
    formError(),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "files-settings-save" }, t("common.save"))),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors(form);
    const el = form.elements;
    const body = {};
    for (const name of ["max_file_mb", "quota_mb"]) {
      const raw = el[name].value.trim();
      const value = Number(raw);
      if (raw === "" || !Number.isInteger(value) || value < (name === "quota_mb" ? 0 : 1)) {
        showError(form, { code: "invalid_number", message: t("adminFiles.wholeNumber"), field: name, details: { field: name } });
        return;
      }
      body[name] = value;
    }
    busy(form, async () => {
      try {
        settings = await api.patch("/files/settings", body);
        clear(usageCard, h("h2", {}, t("adminFiles.storage")), usage(settings));
        toast(t("common.saved"), { type: "success" });
      } catch (error) {
        showError(form, error);
      }
    });
  });

  clear(box, usageCard, h("section", { class: "card" }, h("h2", {}, t("adminFiles.limits")), form));
}
