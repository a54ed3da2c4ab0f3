// /admin/apps: the organisation's apps (open platform): client id, scopes, on/off, a new
// secret (shown once), and the DingTalk-compatible endpoints their code talks to.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, dialog, confirmDialog, toast, loading, uid, field, formError, showError, busy, copyField, formatDateTime } from "../../ui.js";
import { icon } from "../../icons.js";
import { adminFrame } from "./layout.js";
import { eventsPanel } from "./app-events.js";

export const SCOPES = ["contacts.read", "messages.read", "messages.send", "ding.send", "approvals.read", "attendance.read", "reports.read", "chatbot"];

function scopeBoxes(selected = []) {
  return h(
    "fieldset",
    { class: "field app-scopes", "data-testid": "app-scopes" },
    h("legend", {}, t("apps.scopes")),
    SCOPES.map((scope) => {
      const id = uid("scope");
      return h(
        "div",
        { class: "check" },
        h("input", { type: "checkbox", id, name: "scopes", value: scope, checked: selected.includes(scope), "data-testid": `app-scope-${scope}` }),
        h("label", { for: id }, t(`apps.scope.${scope}`), " ", h("code", { class: "muted small" }, scope)),
      );
    }),
  );
}

function checkedScopes(form) {
  return [...form.querySelectorAll("input[name=scopes]:checked")].map((i) => i.value);
}

/** The client id and the new secret, shown once with a warning. */
function secretDialog(app, title) {
  return dialog({
    title,
    testid: "app-secret-dialog",
    content: (close) =>
      h(
        "div",
        { class: "stack" },
        h("p", { class: "notice notice-error", role: "alert", "data-testid": "app-secret-warning" }, t("apps.secretOnce")),
        copyField({ label: t("apps.clientId"), value: app.client_id, testid: "app-client-id" }),
        copyField({ label: t("apps.clientSecret"), value: app.client_secret, testid: "app-client-secret" }),
        h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-primary", "data-testid": "app-secret-done", onclick: () => close() }, t("apps.savedIt"))),
      ),
  }).closed;
}

/** Create (app null) or edit an app's name and scopes; resolves with the saved app or null. */
function appDialog(app) {
  return new Promise((resolve) => {
    let saved = null;
    const d = dialog({
      title: app ? t("apps.editTitle", { name: app.name }) : t("apps.new"),
      testid: "app-dialog",
      content: (close) => {
        const form = h("form", { class: "stack", novalidate: true });
        form.append(
          formError(),
          field({ label: t("apps.name"), name: "name", required: true, value: app?.name ?? "", testid: "app-name", attrs: { maxlength: 50, autocomplete: "off" } }),
          scopeBoxes(app?.scopes || []),
          h(
            "div",
            { class: "actions" },
            h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")),
            h("button", { type: "submit", class: "btn btn-primary", "data-testid": "app-save" }, app ? t("common.save") : t("common.create")),
          ),
        );
        form.addEventListener("submit", (e) => {
          e.preventDefault();
          const body = { name: form.elements.name.value.trim(), scopes: checkedScopes(form) };
          if (!body.name) return showError(form, { code: "name_required", field: "name", message: t("error.name_required") });
          busy(form, async () => {
            try {
              saved = app ? await api.patch(`/apps/${encodeURIComponent(app.id)}`, body) : await api.post("/apps", body);
              close();
            } catch (error) {
              showError(form, error);
            }
          });
        });
        return form;
      },
    });
    d.closed.then(() => resolve(saved));
  });
}

function endpoints() {
  const origin = location.origin;
  return h(
    "section",
    { class: "card", "aria-labelledby": "apps-endpoints-h", "data-testid": "apps-endpoints" },
    h("h2", { id: "apps-endpoints-h" }, t("apps.endpoints")),
    h("p", { class: "muted small" }, t("apps.endpointsHelp")),
    h(
      "dl",
      { class: "apps-endpoints" },
      h("dt", {}, t("apps.tokenEndpoint")),
      h("dd", {}, h("code", { "data-testid": "apps-token-endpoint" }, `POST ${origin}/v1.0/oauth2/accessToken`)),
      h("dt", {}, t("apps.streamEndpoint")),
      h("dd", {}, h("code", { "data-testid": "apps-stream-endpoint" }, `POST ${origin}/v1.0/gateway/connections/open`)),
      h("dt", {}, t("apps.sdkEnv")),
      h("dd", {}, h("code", { "data-testid": "apps-sdk-env" }, `DINGTALK_OPENAPI_ENDPOINT=${origin}`)),
    ),
  );
}

export async function render(ctx) {
  const newButton = h("button", { type: "button", class: "btn btn-primary", "data-testid": "app-new", onclick: () => create() }, icon("plus", 18), t("apps.new"));
  const content = adminFrame(ctx, "apps", newButton);
  const box = h("div", {}, loading());
  content.append(h("section", { class: "card", "aria-labelledby": "apps-h" }, h("h2", { id: "apps-h" }, t("apps.title")), h("p", { class: "muted small" }, t("apps.help")), box), endpoints());

  async function create() {
    const app = await appDialog(null);
    if (!app) return;
    await load();
    await secretDialog(app, t("apps.createdTitle", { name: app.name }));
  }

  async function rotate(app) {
    if (!(await confirmDialog({ title: t("apps.rotate"), message: t("apps.rotateConfirm", { name: app.name }), confirmLabel: t("apps.rotate"), danger: true }))) return;
    try {
      const rotated = await api.post(`/apps/${encodeURIComponent(app.id)}/secret`);
      await secretDialog(rotated, t("apps.rotatedTitle", { name: app.name }));
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  async function toggle(app, input) {
    input.disabled = true;
    try {
      await api.patch(`/apps/${encodeURIComponent(app.id)}`, { enabled: input.checked });
      toast(input.checked ? t("apps.enabledToast") : t("apps.disabledToast"), { type: "success" });
    } catch (error) {
      input.checked = !input.checked;
      toast(errorText(error), { type: "error" });
    } finally {
      input.disabled = false;
    }
  }

  /** Show or hide the app's event subscription and delivery log (built when first shown). */
  function toggleEvents(button, li, app) {
    const panelId = button.getAttribute("aria-controls");
    let panel = li.querySelector(`#${CSS.escape(panelId)}`);
    const show = button.getAttribute("aria-expanded") !== "true";
    if (show && !panel) {
      panel = eventsPanel(app);
      panel.id = panelId;
      li.append(panel);
    }
    if (panel) panel.hidden = !show;
    button.setAttribute("aria-expanded", show ? "true" : "false");
  }

  function row(app) {
    const id = uid("app-en");
    const input = h("input", { type: "checkbox", id, checked: app.enabled, "data-testid": "app-enabled", onchange: (e) => toggle(app, e.target) });
    const events = h(
      "button",
      { type: "button", class: "btn btn-small", "aria-expanded": "false", "aria-controls": uid("app-events"), "data-testid": "app-events-toggle", "aria-label": t("appEvents.toggleOf", { name: app.name }), onclick: () => toggleEvents(events, li, app) },
      t("appEvents.toggle"),
    );
    const li = h(
      "li",
      { class: "admin-form-row", "data-testid": "app-row", "data-app-id": app.id },
      h(
        "div",
        { class: "admin-form-main" },
        h("strong", { "data-testid": "app-name-text" }, app.name),
        h("span", { class: "muted small" }, t("apps.clientId"), ": ", h("code", { "data-testid": "app-row-client-id" }, app.client_id)),
        h("span", { class: "muted small" }, app.scopes.length ? app.scopes.map((s) => t(`apps.scope.${s}`)).join(t("common.listSep")) : t("apps.noScopes"), " · ", formatDateTime(app.created_at, { dateOnly: true })),
      ),
      h("div", { class: "check" }, input, h("label", { for: id }, t("apps.enabled"))),
      h(
        "div",
        { class: "admin-form-actions" },
        h("button", { type: "button", class: "btn btn-small", "data-testid": "app-edit", "aria-label": t("apps.editTitle", { name: app.name }), onclick: async () => (await appDialog(app)) && load() }, t("common.edit")),
        events,
        h("button", { type: "button", class: "btn btn-small btn-danger-outline", "data-testid": "app-rotate", "aria-label": t("apps.rotateOf", { name: app.name }), onclick: () => rotate(app) }, t("apps.rotate")),
      ),
    );
    return li;
  }

  async function load() {
    try {
      const apps = await api.get("/apps");
      if (!ctx.isCurrent()) return;
      clear(box, apps.length ? h("ul", { class: "admin-forms", "data-testid": "apps-list" }, apps.map(row)) : h("p", { class: "empty", "data-testid": "apps-empty" }, t("apps.none")));
    } catch (error) {
      clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  load();
}
