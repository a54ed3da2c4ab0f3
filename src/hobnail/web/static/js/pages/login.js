// /login: e-mail or mobile number + password. Shows throttle/lock errors with a countdown.

import { api } from "../api.js";
import { t, errorText } from "../i18n.js";
import { h, field, formError, formValues, showError, clearErrors, busy } from "../ui.js";
import { signedIn } from "../app.js";

export function render(ctx) {
  let countdown = null;
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", "data-testid": "login-submit" }, t("login.submit"));
  const form = h(
    "form",
    { class: "stack", novalidate: true, "data-testid": "login-form" },
    field({ label: t("login.identifier"), name: "identifier", autocomplete: "username", required: true, testid: "login-identifier" }),
    field({ label: t("login.password"), name: "password", type: "password", autocomplete: "current-password", required: true, testid: "login-password" }),
    formError(),
    submit,
  );

  const startCountdown = (seconds, error) => {
    clearInterval(countdown);
    let left = Math.max(1, Math.ceil(seconds));
    submit.disabled = true;
    const tick = () => {
      const box = form.querySelector(".form-error");
      box.hidden = false;
      box.replaceChildren(errorText(error), " ", h("span", { "data-testid": "login-retry" }, t("login.retryIn", { seconds: left })));
      if (left <= 0) {
        clearInterval(countdown);
        countdown = null;
        submit.disabled = false;
        box.hidden = true;
        return;
      }
      left -= 1;
    };
    tick();
    countdown = setInterval(tick, 1000);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    const values = formValues(form);
    if (!values.identifier || !values.password) {
      showError(form, { code: "login_missing", message: t("login.missing"), details: {}, field: !values.identifier ? "identifier" : "password" });
      return;
    }
    busy(form, async () => {
      try {
        const session = await api.post("/auth/login", { identifier: values.identifier, password: values.password }, { quiet401: true });
        await signedIn(session, ctx.query.get("next") || "/");
      } catch (error) {
        if (error.status === 429 && error.details.retry_after) startCountdown(error.details.retry_after, error);
        else showError(form, error);
      }
    }).then(() => {
      if (countdown) submit.disabled = true;
    });
  });

  ctx.main.append(
    h(
      "section",
      { class: "auth-card card" },
      h("h1", {}, t("login.title")),
      h("p", { class: "muted" }, t("login.subtitle")),
      form,
    ),
  );
  form.querySelector("input").focus();
  return () => clearInterval(countdown);
}
