// /join/CODE: ask to join an organisation through an invitation (no sign-in).

import { api } from "../api.js";
import { t, errorText } from "../i18n.js";
import { h, field, formError, formValues, showError, busy, loading, clear } from "../ui.js";

export async function render(ctx) {
  const code = ctx.params.code;
  const box = h("section", { class: "auth-card card", "data-testid": "join-page" }, loading());
  ctx.main.append(box);

  let invitation;
  try {
    invitation = await api.get(`/join/${encodeURIComponent(code)}`);
  } catch (error) {
    clear(
      box,
      h("h1", {}, t("join.invalidTitle")),
      h("p", { class: "form-error", role: "alert", "data-testid": "join-invalid" }, errorText(error)),
      h("a", { href: "/login", class: "btn" }, t("join.toLogin")),
    );
    return;
  }

  const form = h(
    "form",
    { class: "stack", novalidate: true, "data-testid": "join-form" },
    field({ label: t("common.name"), name: "name", required: true, autocomplete: "name", testid: "join-name" }),
    field({ label: t("common.phone"), name: "phone", type: "tel", required: true, autocomplete: "tel", testid: "join-phone" }),
    field({ label: t("join.emailOptional"), name: "email", type: "email", autocomplete: "email", testid: "join-email" }),
    field({ label: t("login.password"), name: "password", type: "password", autocomplete: "new-password", testid: "join-password", hint: t("join.passwordHint") }),
    formError(),
    h("button", { type: "submit", class: "btn btn-primary btn-block", "data-testid": "join-submit" }, t("join.submit")),
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = formValues(form);
    busy(form, async () => {
      try {
        await api.post(`/join/${encodeURIComponent(code)}`, {
          name: v.name,
          phone: v.phone,
          email: v.email || null,
          password: v.password || null,
        });
        clear(
          box,
          h("h1", {}, t("join.sentTitle")),
          h("p", { role: "status", "data-testid": "join-sent" }, t("join.sentText", { org: invitation.org_name })),
          h("a", { href: "/login", class: "btn" }, t("join.toLogin")),
        );
      } catch (error) {
        showError(form, error);
      }
    });
  });

  clear(
    box,
    h("h1", {}, t("join.title")),
    h("p", { class: "join-org", "data-testid": "join-org-name" }, invitation.org_name),
    h("p", { class: "muted" }, t("join.subtitle")),
    form,
  );
}
