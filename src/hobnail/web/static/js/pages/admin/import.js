// /admin/import: CSV upload with progress; success summary (+ passwords CSV) or per-row errors.

import { upload } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, checkbox, formError, showError, clearErrors, busy, uid, roleLabel } from "../../ui.js";
import { adminFrame } from "./layout.js";

const COLUMNS = [
  ["name", "姓名", "import.colName", true],
  ["email", "邮箱", "import.colEmail"],
  ["phone", "手机", "import.colPhone"],
  ["department", "部门", "import.colDepartment"],
  ["title", "职位", "import.colTitle"],
  ["employee_no", "工号", "import.colEmployeeNo"],
  ["role", "角色", "import.colRole"],
];

function csvCell(value) {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function downloadPasswords(members) {
  const lines = [["name", "email", "phone", "initial_password"].join(",")];
  for (const m of members) if (m.initial_password) lines.push([m.name, m.email, m.phone, m.initial_password].map(csvCell).join(","));
  // BOM so spreadsheet programs read the UTF-8 names correctly.
  const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: "hobnail-initial-passwords.csv", hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export function render(ctx) {
  const content = adminFrame(ctx, "import");
  const fileId = uid("csv");
  const progress = h("progress", { max: "100", value: "0", "data-testid": "import-progress", "aria-label": t("import.progress") });
  const progressBox = h("div", { class: "progress-box", hidden: true }, progress, h("span", { class: "muted small", "aria-live": "polite" }));
  const result = h("div", { "data-testid": "import-result", "aria-live": "polite" });

  const form = h(
    "form",
    { class: "stack narrow", novalidate: true, "data-testid": "import-form" },
    h(
      "div",
      { class: "field" },
      h("label", { for: fileId }, t("import.file")),
      h("input", { id: fileId, type: "file", name: "file", accept: ".csv,text/csv", required: true, "data-testid": "import-file", "aria-describedby": `${fileId}-error` }),
      h("p", { class: "field-error", id: `${fileId}-error` }),
    ),
    checkbox({ label: t("import.dryRun"), name: "dry_run", testid: "import-dry-run" }),
    formError(),
    progressBox,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "import-submit" }, t("import.upload"))),
  );

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors(form);
    clear(result);
    const input = form.querySelector("input[type=file]");
    const file = input.files[0];
    if (!file) {
      showError(form, { code: "no_file", message: t("import.chooseFile"), details: {}, field: "file" });
      return;
    }
    const dryRun = form.querySelector("input[name=dry_run]").checked;
    const data = new FormData();
    data.append("file", file, file.name);
    progressBox.hidden = false;
    progress.value = 0;
    const label = progressBox.querySelector("span");
    label.textContent = t("import.uploading", { percent: 0 });
    busy(form, async () => {
      try {
        const res = await upload("POST", "/members/import", data, {
          query: dryRun ? { dry_run: "true" } : undefined,
          onProgress: (f) => {
            progress.value = Math.round(f * 100);
            label.textContent = f >= 1 ? t("import.processing") : t("import.uploading", { percent: Math.round(f * 100) });
          },
        });
        label.textContent = t("import.finished");
        showSuccess(res);
        if (!res.dry_run) input.value = "";
      } catch (error) {
        progressBox.hidden = true;
        if (error.code === "import_failed" && Array.isArray(error.details.rows)) showRowErrors(error);
        else showError(form, error);
      }
    });
  });

  function showSuccess(res) {
    const withPasswords = res.members.filter((m) => m.initial_password);
    clear(
      result,
      h(
        "div",
        { class: "notice notice-ok", role: "status", "data-testid": "import-success" },
        h("strong", {}, res.dry_run ? t("import.dryRunOk", { count: res.checked }) : t("import.done", { count: res.imported })),
      ),
      !res.dry_run && withPasswords.length
        ? h(
            "div",
            { class: "stack" },
            h("p", {}, t("import.passwordsNote")),
            h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-primary", "data-testid": "import-download-passwords", onclick: () => downloadPasswords(res.members) }, t("import.downloadPasswords"))),
          )
        : null,
      res.members.length
        ? h(
            "div",
            { class: "table-wrap" },
            h(
              "table",
              { class: "table", "data-testid": "import-members" },
              h("caption", { class: "sr-only" }, t("import.membersCaption")),
              h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("common.name")), h("th", { scope: "col" }, t("members.contact")), h("th", { scope: "col" }, t("members.role")), res.dry_run ? null : h("th", { scope: "col" }, t("members.initialPassword")))),
              h(
                "tbody",
                {},
                res.members.map((m) =>
                  h(
                    "tr",
                    {},
                    h("td", {}, m.name),
                    h("td", {}, [m.email, m.phone].filter(Boolean).join(" · ")),
                    h("td", {}, roleLabel(m.role)),
                    res.dry_run ? null : h("td", {}, m.initial_password ? h("code", {}, m.initial_password) : h("span", { class: "muted" }, t("import.existingAccount"))),
                  ),
                ),
              ),
            ),
          )
        : null,
    );
  }

  function showRowErrors(error) {
    clear(
      result,
      h("div", { class: "notice notice-error", role: "alert", "data-testid": "import-errors-summary" }, errorText(error)),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "table", "data-testid": "import-errors" },
          h("caption", { class: "sr-only" }, t("import.errorsCaption")),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("import.row")), h("th", { scope: "col" }, t("import.problem")))),
          h(
            "tbody",
            {},
            error.details.rows.map((r) => h("tr", { "data-testid": "import-error-row" }, h("td", {}, String(r.row)), h("td", {}, errorText(r), errorText(r) !== r.message ? h("span", { class: "muted small block" }, r.message) : null))),
          ),
        ),
      ),
    );
  }

  content.append(
    h(
      "section",
      { class: "card" },
      h("h2", {}, t("import.howTitle")),
      h("p", {}, t("import.howText")),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "table table-compact", "data-testid": "import-columns" },
          h("caption", { class: "sr-only" }, t("import.columnsCaption")),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("import.column")), h("th", { scope: "col" }, t("import.meaning")))),
          h(
            "tbody",
            {},
            COLUMNS.map(([en, zh, key, required]) =>
              h("tr", {}, h("td", {}, h("code", {}, en), " / ", h("code", {}, zh)), h("td", {}, t(key), required ? h("span", { class: "tag" }, t("import.required")) : null)),
            ),
          ),
        ),
      ),
      h("p", { class: "hint" }, t("import.encodingNote")),
      h("p", { class: "hint" }, t("import.example"), " ", h("code", {}, "姓名,手机,邮箱,部门,职位"), " ", h("code", {}, "张三,13800138000,zs@example.com,研发部/前端组,工程师")),
    ),
    h("section", { class: "card" }, h("h2", {}, t("import.uploadTitle")), form, result),
  );
}
