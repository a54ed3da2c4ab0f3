// /setup: first run — create the organisation and its owner, then sign in.

import { api } from "../api.js";
import { t, getLang, LANGUAGES } from "../i18n.js";
import { h, field, formError, formValues, showError, busy } from "../ui.js";
import { timezoneOptions } from "../tz.js";
import { signedIn, setupDone } from "../app.js";

export function render(ctx) {
  const form = h(
    "form",
    { class: "stack", novalidate: true, "data-testid": "setup-form" },
    h(
      "fieldset",
      {},
      h("legend", {}, t("setup.orgSection")),
      field({ label: t("setup.orgName"), name: "org_name", required: true, testid: "setup-org-name", autocomplete: "organization" }),
      field({ label: t("common.timezone"), name: "timezone", type: "select", value: "Asia/Shanghai", options: timezoneOptions("Asia/Shanghai"), testid: "setup-timezone" }),
      field({ label: t("common.language"), name: "language", type: "select", value: getLang(), options: LANGUAGES.map((l) => ({ value: l.code, label: l.label })), testid: "setup-language" }),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, t("setup.ownerSection")),
      field({ label: t("setup.ownerName"), name: "owner_name", required: true, testid: "setup-owner-name", autocomplete: "name" }),
      field({ label: t("common.email"), name: "email", type: "email", required: true, testid: "setup-email", autocomplete: "email" }),
      field({ label: t("setup.phoneOptional"), name: "phone", type: "tel", testid: "setup-phone", autocomplete: "tel" }),
      field({ label: t("login.password"), name: "password", type: "password", required: true, testid: "setup-password", autocomplete: "new-password", hint: t("common.passwordHint") }),
    ),
    formError(),
    h("button", { type: "submit", class: "btn btn-primary btn-block", "data-testid": "setup-submit" }, t("setup.submit")),
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = formValues(form);
    const body = {
      org_name: v.org_name,
      timezone: v.timezone,
      language: v.language,
      owner_name: v.owner_name,
      email: v.email,
      phone: v.phone || null,
      password: v.password,
    };
    busy(form, async () => {
      try {
        const session = await api.post("/setup", body);
        setupDone();
        await signedIn(session, "/");
      } catch (error) {
        showError(form, error);
      }
    });
  });

  ctx.main.append(
    h(
      "section",
      { class: "auth-card card wide" },
      h("h1", {}, t("setup.title")),
      h("p", { class: "muted" }, t("setup.subtitle")),
      form,
    ),
  );
  form.querySelector("input").focus();
}
