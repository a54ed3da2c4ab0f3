// /admin: organisation settings (name, timezone, language).

import { api } from "../../api.js";
import { t, LANGUAGES } from "../../i18n.js";
import { h, field, formError, formValues, showError, clearErrors, busy, toast } from "../../ui.js";
import { timezoneOptions } from "../../tz.js";
import { org, state } from "../../state.js";
import { setSessionOrg, rerender } from "../../app.js";
import { adminFrame } from "./layout.js";

export function render(ctx) {
  const content = adminFrame(ctx, "org");
  const current = org();
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true, "data-testid": "org-form" },
    field({ label: t("admin.orgName"), name: "name", value: current.name, required: true, testid: "org-name-input" }),
    field({ label: t("common.timezone"), name: "timezone", type: "select", value: current.timezone, options: timezoneOptions(current.timezone), testid: "org-timezone", hint: t("admin.timezoneHint") }),
    field({
      label: t("admin.orgLanguage"),
      name: "language",
      type: "select",
      value: current.language,
      options: LANGUAGES.map((l) => ({ value: l.code, label: l.label })),
      testid: "org-language",
      hint: t("admin.languageHint"),
    }),
    formError(),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "org-save" }, t("common.save"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    busy(form, async () => {
      try {
        const updated = await api.patch("/org", formValues(form));
        setSessionOrg(updated);
        toast(t("common.saved"), { type: "success" });
        rerender({ rebuildShell: true });
      } catch (error) {
        showError(form, error);
      }
    });
  });

  content.append(
    h("section", { class: "card" }, h("h2", {}, t("admin.orgSettings")), form),
    h(
      "section",
      { class: "card" },
      h("h2", {}, t("admin.quickLinks")),
      h(
        "ul",
        { class: "link-list" },
        h("li", {}, h("a", { href: "/admin/members" }, t("admin.tabMembers"))),
        h("li", {}, h("a", { href: "/admin/invitations" }, t("admin.tabInvitations"), state.pendingJoinRequests ? ` (${t("shell.pendingRequests", { count: state.pendingJoinRequests })})` : "")),
        h("li", {}, h("a", { href: "/admin/import" }, t("admin.tabImport"))),
      ),
    ),
  );
}
