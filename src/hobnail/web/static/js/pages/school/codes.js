// A class's join codes (班级码): guardians open the link (or type the code) to join. Admins
// and the class's teachers create a code with a lifetime, copy its link and turn it off.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, field, formError, formValues, showError, busy, toast, confirmDialog, emptyState, loading, copyField, copyText, formatDateTime, uid } from "../../ui.js";
import { absoluteUrl } from "./common.js";

export function codesSection(schoolClass) {
  const classId = schoolClass.id;
  const headingId = uid("codes-h");
  const created = h("div", { class: "invite-result", "data-testid": "join-code-created", "aria-live": "polite" });
  const listBox = h("div", { "data-testid": "join-codes" }, loading());

  const form = h(
    "form",
    { class: "inline-form", novalidate: true, "data-testid": "join-code-form" },
    field({ label: t("school.codeDays"), name: "days_valid", type: "number", value: "7", testid: "join-code-days", attrs: { min: "1", max: "90", inputmode: "numeric" } }),
    h("div", { class: "field field-button" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "join-code-create" }, t("school.codeCreate"))),
    formError(),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(form);
    busy(form, async () => {
      try {
        const inv = await api.post(`/school/classes/${encodeURIComponent(classId)}/invitations`, { days_valid: Number(v.days_valid) || 7 });
        showCreated(inv);
        load();
      } catch (error) {
        showError(form, error);
      }
    });
  });

  function showCreated(inv) {
    clear(
      created,
      h("h3", {}, t("school.codeCreated")),
      copyField({ label: t("school.joinLink"), value: absoluteUrl(inv.url), testid: "join-code-url" }),
      copyField({ label: t("school.joinCode"), value: inv.code, testid: "join-code-code" }),
      h("p", { class: "hint" }, t("school.codeExpires", { date: formatDateTime(inv.expires_at) })),
    );
  }

  async function disable(inv) {
    const ok = await confirmDialog({ title: t("school.codeDisable"), message: t("school.codeDisableText", { code: inv.code }), confirmLabel: t("school.codeDisable"), danger: true });
    if (!ok) return;
    try {
      await api.del(`/school/invitations/${encodeURIComponent(inv.id)}`);
      toast(t("school.codeDisabled"), { type: "success" });
      if (created.textContent.includes(inv.code)) clear(created);
      load();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const list = await api.get(`/school/classes/${encodeURIComponent(classId)}/invitations`);
      if (mine !== seq) return;
      if (!list.length) return clear(listBox, emptyState(t("school.codesEmpty"), "join-codes-empty"));
      clear(
        listBox,
        h(
          "ul",
          { class: "school-codes" },
          list.map((inv) =>
            h(
              "li",
              { class: "school-code", "data-testid": "join-code-row", "data-invitation-id": inv.id, "data-active": String(inv.active) },
              h(
                "div",
                { class: "school-code-main" },
                h("code", { class: "school-code-value", "data-testid": "join-code-value" }, inv.code),
                h("span", { class: `tag ${inv.active ? "tag-ok" : "tag-muted"}`, "data-testid": "join-code-state" }, inv.active ? t("school.codeActive") : t("school.codeInactive")),
                h("span", { class: "muted small" }, t("school.codeExpires", { date: formatDateTime(inv.expires_at) })),
                inv.active ? h("a", { href: inv.url, class: "small school-code-link", "data-testid": "join-code-link" }, absoluteUrl(inv.url)) : null,
              ),
              inv.active
                ? h(
                    "div",
                    { class: "row-actions" },
                    h("button", { type: "button", class: "btn btn-small", "data-testid": "join-code-copy", "aria-label": t("school.codeCopyOf", { code: inv.code }), onclick: () => copyText(absoluteUrl(inv.url)) }, t("school.codeCopy")),
                    h("button", { type: "button", class: "btn btn-small btn-danger-outline", "data-testid": "join-code-disable", "aria-label": t("school.codeDisableOf", { code: inv.code }), onclick: () => disable(inv) }, t("school.codeDisable")),
                  )
                : null,
            ),
          ),
        ),
      );
    } catch (error) {
      if (mine === seq) clear(listBox, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  load();

  return h(
    "section",
    { class: "card", "aria-labelledby": headingId, "data-testid": "join-codes-card" },
    h("h2", { id: headingId }, t("school.codesTitle")),
    h("p", { class: "muted" }, t("school.codesHelp")),
    form,
    created,
    listBox,
  );
}
