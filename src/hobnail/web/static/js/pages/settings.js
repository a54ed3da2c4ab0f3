// /settings: profile (name, language, timezone), avatar, DING quiet hours, password, personal API tokens.

import { api, upload } from "../api.js";
import { t, errorText, LANGUAGES, normalizeLang, setLang } from "../i18n.js";
import { h, clear, field, formError, formValues, showError, clearErrors, busy, toast, dialog, confirmDialog, avatar, copyField, formatDateTime, emptyState, uid, pageHeader } from "../ui.js";
import { timezoneOptions } from "../tz.js";
import { user } from "../state.js";
import { setSessionUser, rerender } from "../app.js";

export async function render(ctx) {
  const me = user();
  ctx.main.append(pageHeader(t("nav.settings")));

  // ----- profile -----
  const profile = h(
    "form",
    { class: "stack narrow", novalidate: true, "data-testid": "profile-form" },
    field({ label: t("common.name"), name: "name", value: me.name, required: true, autocomplete: "name", testid: "profile-name" }),
    field({
      label: t("common.language"),
      name: "language",
      type: "select",
      value: normalizeLang(me.language) || "",
      options: [{ value: "", label: t("settings.languageDefault") }, ...LANGUAGES.map((l) => ({ value: l.code, label: l.label }))],
      testid: "profile-language",
    }),
    field({
      label: t("settings.timezone"),
      name: "timezone",
      type: "select",
      value: me.timezone || "",
      options: timezoneOptions(me.timezone, { allowEmpty: true, emptyLabel: t("settings.timezoneDefault") }),
      testid: "profile-timezone",
      hint: t("settings.timezoneHint"),
    }),
    formError(),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "profile-save" }, t("common.save"))),
  );
  profile.addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(profile);
    busy(profile, async () => {
      try {
        const body = { name: v.name };
        // Empty choices are only sent when they change something the server would accept.
        if (v.language) body.language = v.language;
        if (v.timezone) body.timezone = v.timezone;
        const updated = await api.patch("/me", body);
        setSessionUser(updated);
        toast(t("common.saved"), { type: "success" });
        if (v.language) await setLang(v.language);
        rerender({ rebuildShell: true });
      } catch (error) {
        showError(profile, error);
      }
    });
  });

  // ----- avatar -----
  const avatarId = uid("avatar");
  const avatarPreview = h("div", { class: "avatar-preview", "data-testid": "avatar-preview" }, avatar(me, "xl"));
  const avatarForm = h(
    "form",
    { class: "avatar-form", novalidate: true, "data-testid": "avatar-form" },
    avatarPreview,
    h(
      "div",
      { class: "stack" },
      h(
        "div",
        { class: "field" },
        h("label", { for: avatarId }, t("settings.avatarFile")),
        h("input", { id: avatarId, type: "file", name: "file", accept: "image/png,image/jpeg,image/gif,image/webp", "data-testid": "avatar-file", "aria-describedby": `${avatarId}-hint ${avatarId}-error` }),
        h("p", { class: "hint", id: `${avatarId}-hint` }, t("settings.avatarHint")),
        h("p", { class: "field-error", id: `${avatarId}-error` }),
      ),
      formError(),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "btn", "data-testid": "avatar-upload" }, t("settings.avatarUpload"))),
    ),
  );
  avatarForm.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors(avatarForm);
    const file = avatarForm.querySelector("input[type=file]").files[0];
    if (!file) return showError(avatarForm, { code: "no_file", message: t("settings.chooseImage"), details: {}, field: "file" });
    const data = new FormData();
    data.append("file", file, file.name);
    busy(avatarForm, async () => {
      try {
        const updated = await upload("PUT", "/me/avatar", data);
        setSessionUser(updated);
        clear(avatarPreview, avatar(updated, "xl"));
        toast(t("settings.avatarSaved"), { type: "success" });
        rerender({ rebuildShell: true });
      } catch (error) {
        showError(avatarForm, error);
      }
    });
  });

  // ----- password -----
  const password = h(
    "form",
    { class: "stack narrow", novalidate: true, "data-testid": "password-form" },
    h("input", { type: "text", name: "username", autocomplete: "username", value: me.email || me.phone || "", hidden: true, "aria-hidden": "true", tabindex: "-1", disabled: true }),
    field({ label: t("settings.currentPassword"), name: "current_password", type: "password", autocomplete: "current-password", required: true, testid: "current-password" }),
    field({ label: t("settings.newPassword"), name: "new_password", type: "password", autocomplete: "new-password", required: true, testid: "new-password", hint: t("common.passwordHint") }),
    formError(),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "password-save" }, t("settings.changePassword"))),
  );
  password.addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(password);
    busy(password, async () => {
      try {
        await api.post("/me/password", { current_password: v.current_password, new_password: v.new_password });
        password.reset();
        clearErrors(password);
        toast(t("settings.passwordChanged"), { type: "success" });
      } catch (error) {
        showError(password, error);
      }
    });
  });

  // ----- quiet hours (DING: SMS and voice calls wait until they end) -----
  const quiet = h(
    "form",
    { class: "stack narrow", novalidate: true, "data-testid": "quiet-form" },
    h(
      "div",
      { class: "quiet-row" },
      field({ label: t("settings.quietStart"), name: "quiet_hours_start", type: "time", value: me.quiet_hours_start || "", testid: "quiet-start" }),
      field({ label: t("settings.quietEnd"), name: "quiet_hours_end", type: "time", value: me.quiet_hours_end || "", testid: "quiet-end" }),
    ),
    formError(),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          class: "btn",
          "data-testid": "quiet-clear",
          onclick: () => {
            quiet.elements.quiet_hours_start.value = "";
            quiet.elements.quiet_hours_end.value = "";
            quiet.requestSubmit();
          },
        },
        t("settings.quietClear"),
      ),
      h("button", { type: "submit", class: "btn btn-primary", "data-testid": "quiet-save" }, t("common.save")),
    ),
  );
  quiet.addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(quiet);
    if (!v.quiet_hours_start !== !v.quiet_hours_end) {
      const name = v.quiet_hours_start ? "quiet_hours_end" : "quiet_hours_start";
      return showError(quiet, { code: "quiet_hours_incomplete", field: name, details: { field: name } });
    }
    busy(quiet, async () => {
      try {
        const updated = await api.patch("/me", { quiet_hours_start: v.quiet_hours_start, quiet_hours_end: v.quiet_hours_end });
        setSessionUser(updated);
        clearErrors(quiet);
        toast(v.quiet_hours_start ? t("settings.quietSaved", { start: v.quiet_hours_start, end: v.quiet_hours_end }) : t("settings.quietCleared"), { type: "success" });
      } catch (error) {
        showError(quiet, error);
      }
    });
  });

  // ----- tokens -----
  const tokenList = h("div", { "data-testid": "token-list" });
  const tokenForm = h(
    "form",
    { class: "inline-form", novalidate: true, "data-testid": "token-form" },
    field({ label: t("settings.tokenName"), name: "name", required: true, testid: "token-name", hint: t("settings.tokenNameHint") }),
    h("div", { class: "field field-button" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "token-create" }, t("settings.tokenCreate"))),
    formError(),
  );
  tokenForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(tokenForm);
    busy(tokenForm, async () => {
      try {
        const created = await api.post("/me/tokens", { name: v.name });
        tokenForm.reset();
        clearErrors(tokenForm);
        dialog({
          title: t("settings.tokenCreatedTitle"),
          testid: "token-dialog",
          content: (close) =>
            h(
              "div",
              { class: "stack" },
              h("p", {}, t("settings.tokenOnce")),
              copyField({ label: created.name, value: created.token, testid: "token-value" }),
              h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-primary", "data-testid": "token-done", onclick: () => close() }, t("common.done"))),
            ),
        });
        loadTokens();
      } catch (error) {
        showError(tokenForm, error);
      }
    });
  });

  async function loadTokens() {
    try {
      const tokens = await api.get("/me/tokens");
      if (!tokens.length) return clear(tokenList, emptyState(t("settings.tokensEmpty"), "tokens-empty"));
      clear(
        tokenList,
        h(
          "ul",
          { class: "token-list" },
          tokens.map((tok) =>
            h(
              "li",
              { class: "token", "data-testid": "token-row", "data-token-id": tok.id },
              h(
                "div",
                {},
                h("strong", {}, tok.name),
                " ",
                h("code", {}, `${tok.prefix}…`),
                h(
                  "div",
                  { class: "muted small" },
                  t("settings.tokenCreated", { date: formatDateTime(tok.created_at) }),
                  " · ",
                  tok.last_used_at ? t("settings.tokenUsed", { date: formatDateTime(tok.last_used_at) }) : t("settings.tokenNeverUsed"),
                ),
              ),
              h("button", { type: "button", class: "btn btn-small btn-danger-outline", "aria-label": t("settings.tokenRevokeOf", { name: tok.name }), "data-testid": "token-revoke", onclick: () => revoke(tok) }, t("settings.tokenRevoke")),
            ),
          ),
        ),
      );
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  async function revoke(tok) {
    const ok = await confirmDialog({ title: t("settings.tokenRevoke"), message: t("settings.tokenRevokeConfirm", { name: tok.name }), confirmLabel: t("settings.tokenRevoke"), danger: true });
    if (!ok) return;
    try {
      await api.del(`/me/tokens/${tok.id}`);
      toast(t("settings.tokenRevoked"), { type: "success" });
      loadTokens();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  ctx.main.append(
    h("section", { class: "card", "aria-labelledby": "s-profile" }, h("h2", { id: "s-profile" }, t("settings.profile")), profile),
    h("section", { class: "card", "aria-labelledby": "s-avatar" }, h("h2", { id: "s-avatar" }, t("settings.avatar")), avatarForm),
    h("section", { class: "card", "aria-labelledby": "s-quiet" }, h("h2", { id: "s-quiet" }, t("settings.quietHours")), h("p", { class: "muted" }, t("settings.quietHelp")), quiet),
    h("section", { class: "card", "aria-labelledby": "s-password" }, h("h2", { id: "s-password" }, t("settings.password")), password),
    h("section", { class: "card", "aria-labelledby": "s-tokens" }, h("h2", { id: "s-tokens" }, t("settings.tokens")), h("p", { class: "muted" }, t("settings.tokensHelp")), tokenForm, tokenList),
  );
  await loadTokens();
}
