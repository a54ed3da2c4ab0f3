// /admin/apps, per app: its event subscription — signed HTTP POSTs to a callback URL or
// EVENT frames on its Stream connection — with event types grouped by family (only the
// families its scopes grant), the signing secret, a receiver hint and the delivery log.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, uid, field, formError, showError, clearErrors, busy, copyField, confirmDialog, toast, formatDateTime, loading } from "../../ui.js";
import { deliveryLog } from "./app-deliveries.js";

// Event family → the scope that grants it (the server's subscriptions.EVENT_ACCESS) and
// the types worth choosing one by one; "family.*" covers the rest.
export const FAMILIES = [
  { family: "message", scope: "messages.read", types: ["message.sent", "message.edited", "message.recalled", "message.pinned", "message.unpinned", "message.read"] },
  { family: "conversation", scope: "messages.read", types: ["conversation.updated", "conversation.members_added", "conversation.members_removed", "conversation.member_role_changed", "conversation.dissolved"] },
  { family: "member", scope: "contacts.read", types: ["member.added", "member.updated"] },
  { family: "department", scope: "contacts.read", types: ["department.created", "department.updated", "department.deleted"] },
  { family: "organization", scope: "contacts.read", types: ["organization.updated"] },
  { family: "approval", scope: "approvals.read", types: ["approval.task_assigned", "approval.updated", "approval.finished"] },
  { family: "attendance", scope: "attendance.read", types: ["attendance.punched", "attendance.day_updated", "attendance.group_updated"] },
  { family: "report", scope: "reports.read", types: ["report.submitted", "report.commented", "report.liked", "report.read"] },
  { family: "ding", scope: "ding.send", types: ["ding.confirmed", "ding.replied", "ding.recalled", "ding.progress"] },
];

const appPath = (app) => `/apps/${encodeURIComponent(app.id)}`;

/** The panel under an app's row: subscription form and delivery log. */
export function eventsPanel(app) {
  const subH = uid("sub-h");
  const logH = uid("log-h");
  const subBox = h("div", {}, loading());
  const log = deliveryLog(app);
  const panel = h(
    "div",
    { class: "app-events", "data-testid": "app-events" },
    h("section", { class: "app-events-section", "aria-labelledby": subH, "data-testid": "app-subscription" }, h("h3", { id: subH }, t("appEvents.subscription")), h("p", { class: "muted small" }, t("appEvents.subscriptionHelp")), subBox),
    h("section", { class: "app-events-section", "aria-labelledby": logH, "data-testid": "delivery-log" }, h("h3", { id: logH }, t("appEvents.deliveries")), log.el),
  );

  async function loadSubscription() {
    try {
      const sub = await api.get(`${appPath(app)}/subscription`).catch((error) => {
        if (error.code === "subscription_not_found") return null;
        throw error;
      });
      clear(subBox, subscriptionForm(app, sub, { onSaved: () => log.reload() }));
    } catch (error) {
      clear(subBox, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
    }
  }
  loadSubscription();
  log.reload();
  return panel;
}

function typeBox(value, label, { checked, disabled }) {
  const id = uid("evt");
  return h(
    "div",
    { class: "check" },
    h("input", { type: "checkbox", id, name: "event_types", value, checked, disabled, "data-testid": `sub-type-${value}` }),
    h("label", { for: id }, label),
  );
}

/** Event types by family; families the app's scopes do not grant are shown but disabled. */
function eventTypes(app, selected) {
  const allowed = (family) => app.scopes.includes(family.scope);
  const anyAllowed = FAMILIES.some(allowed);
  const hintId = uid("types-hint");
  const set = h(
    "fieldset",
    { class: "app-event-types", "aria-describedby": hintId, "data-testid": "sub-types" },
    h("legend", {}, t("appEvents.eventTypes")),
    h("p", { class: "hint", id: hintId }, anyAllowed ? t("appEvents.eventTypesHelp") : t("appEvents.noEventScopes")),
    typeBox("*", t("appEvents.allEvents"), { checked: selected.includes("*"), disabled: !anyAllowed }),
    h(
      "div",
      { class: "app-event-families" },
      FAMILIES.map((family) => {
        const ok = allowed(family);
        const legendId = uid("fam");
        // Types the subscription already has but this list does not know stay choosable.
        const extra = selected.filter((p) => p.startsWith(`${family.family}.`) && p !== `${family.family}.*` && !family.types.includes(p));
        return h(
          "fieldset",
          { class: "card-lite app-event-family", disabled: !ok, "aria-labelledby": legendId, "data-testid": `sub-family-${family.family}`, "data-allowed": ok ? "true" : "false" },
          h("legend", { id: legendId }, t(`appEvents.family.${family.family}`)),
          ok ? null : h("p", { class: "muted small" }, t("appEvents.needsScope", { scope: t(`apps.scope.${family.scope}`) })),
          typeBox(`${family.family}.*`, t("appEvents.allOfFamily"), { checked: ok && selected.includes(`${family.family}.*`) }),
          [...family.types, ...extra].map((type) => typeBox(type, h("code", {}, type), { checked: ok && selected.includes(type) })),
        );
      }),
    ),
  );
  // "*" covers every family and "family.*" its types: tick them too and lock them, and
  // untick again what was ticked that way when the wider box is cleared.
  const force = (box, on) => {
    if (on) {
      if (!box.checked) box.dataset.auto = "1";
      box.checked = true;
      box.disabled = true;
    } else {
      box.disabled = false;
      if (box.dataset.auto) box.checked = false;
      delete box.dataset.auto;
    }
  };
  const sync = () => {
    const all = set.querySelector('input[value="*"]');
    for (const family of set.querySelectorAll(".app-event-family")) {
      if (family.dataset.allowed !== "true") continue;
      const wide = family.querySelector('input[value$=".*"]');
      force(wide, all.checked);
      family.querySelectorAll('input:not([value$=".*"])').forEach((box) => force(box, wide.checked));
    }
  };
  set.addEventListener("change", sync);
  sync();
  return set;
}

/** "*", else per family "family.*" or the single types ticked. */
function chosenTypes(form) {
  const all = form.querySelector('input[name=event_types][value="*"]');
  if (all.checked) return ["*"];
  const chosen = [];
  for (const family of form.querySelectorAll(".app-event-family")) {
    if (family.dataset.allowed !== "true") continue;
    const wide = family.querySelector('input[value$=".*"]');
    if (wide.checked) chosen.push(wide.value);
    else family.querySelectorAll('input:not([value$=".*"]):checked').forEach((box) => chosen.push(box.value));
  }
  return chosen;
}

function receiverHint() {
  return h(
    "details",
    { class: "app-receiver-hint", "data-testid": "sub-hint" },
    h("summary", {}, t("appEvents.hintTitle")),
    h("p", { class: "small" }, t("appEvents.hintHeaders")),
    h("pre", { class: "app-code small" }, 'expected = "v1=" + hex(HMAC_SHA256(secret, timestamp + "." + raw_body))\nok = constant_time_equal(expected, X-Hobnail-Signature)'),
    h("p", { class: "small muted" }, t("appEvents.hintRetry")),
  );
}

function modeRadio(value, label, checked) {
  const id = uid("mode");
  return h("div", { class: "check" }, h("input", { type: "radio", id, name: "mode", value, checked, "data-testid": `sub-mode-${value}` }), h("label", { for: id }, label));
}

/** The form for a new (sub null) or existing subscription. */
function subscriptionForm(app, sub, { onSaved }) {
  const box = h("div", { class: "stack" });
  render(sub);
  return box;

  function render(current) {
    sub = current;
    const form = h("form", { class: "stack app-sub-form", novalidate: true, "data-testid": "sub-form" });
    const mode = sub?.mode || "http";
    const url = field({
      label: t("appEvents.url"),
      name: "url",
      value: sub?.url || "",
      testid: "sub-url",
      hint: t("appEvents.urlHint"),
      attrs: { maxlength: 500, autocomplete: "off", inputmode: "url", placeholder: "https://" },
    });
    const streamHint = h("p", { class: "hint", "data-testid": "sub-stream-hint" }, t("appEvents.streamHint"));
    const enabledId = uid("sub-en");
    const showMode = () => {
      const http = form.elements.mode.value === "http";
      url.hidden = !http;
      streamHint.hidden = http;
    };
    form.append(
      formError(),
      h(
        "p",
        { class: "small", "data-testid": "sub-status", "data-subscribed": sub ? "true" : "false" },
        !sub
          ? t("appEvents.notSubscribed")
          : !sub.enabled
            ? h("span", { class: "tag tag-muted" }, t("appEvents.paused"))
            : sub.mode === "http"
              ? h("span", { class: "tag tag-ok" }, t("appEvents.verified", { time: formatDateTime(sub.verified_at) }))
              : h("span", { class: "tag tag-ok" }, t("appEvents.streamActive")),
      ),
      h(
        "fieldset",
        { class: "app-sub-mode", onchange: showMode },
        h("legend", {}, t("appEvents.delivery")),
        modeRadio("http", t("appEvents.modeHttp"), mode === "http"),
        modeRadio("stream", t("appEvents.modeStream"), mode === "stream"),
      ),
      url,
      streamHint,
      eventTypes(app, sub?.event_types || []),
      h("div", { class: "check" }, h("input", { type: "checkbox", id: enabledId, name: "enabled", checked: sub ? sub.enabled : true, "data-testid": "sub-enabled" }), h("label", { for: enabledId }, t("appEvents.enabled"))),
      h(
        "div",
        { class: "actions" },
        sub ? h("button", { type: "button", class: "btn btn-danger-outline", "data-testid": "sub-delete", onclick: () => remove() }, t("appEvents.unsubscribe")) : null,
        h("button", { type: "submit", class: "btn btn-primary", "data-testid": "sub-save" }, sub ? t("common.save") : t("appEvents.subscribe")),
      ),
    );
    showMode();
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = { mode: form.elements.mode.value, event_types: chosenTypes(form), enabled: form.elements.enabled.checked };
      if (body.mode === "http") body.url = form.elements.url.value.trim();
      if (body.mode === "http" && !body.url) return showError(form, { code: "url_required", field: "url", message: t("appEvents.urlRequired") });
      if (!body.event_types.length) return showError(form, { code: "event_types_required", message: t("appEvents.typesRequired") });
      clearErrors(form);
      busy(form, async () => {
        try {
          const saved = await api.put(`${appPath(app)}/subscription`, body);
          toast(t("appEvents.saved"), { type: "success" });
          render(saved);
          onSaved();
        } catch (error) {
          // Verification failures and scope errors name no field: the form's alert box shows them.
          showError(form, error);
        }
      });
    });
    clear(box, form, sub ? secretBlock() : null, receiverHint());
  }

  function secretBlock() {
    return h(
      "div",
      { class: "stack app-sub-secret" },
      copyField({ label: t("appEvents.signingSecret"), value: sub.signing_secret, testid: "sub-secret" }),
      h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-small btn-danger-outline", "data-testid": "sub-rotate", onclick: () => rotate() }, t("appEvents.rotateSecret"))),
    );
  }

  async function rotate() {
    if (!(await confirmDialog({ title: t("appEvents.rotateSecret"), message: t("appEvents.rotateConfirm", { name: app.name }), confirmLabel: t("appEvents.rotateSecret"), danger: true }))) return;
    try {
      const body = { mode: sub.mode, url: sub.url, event_types: sub.event_types, enabled: sub.enabled, rotate_secret: true };
      render(await api.put(`${appPath(app)}/subscription`, body));
      toast(t("appEvents.rotated"), { type: "success" });
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  async function remove() {
    if (!(await confirmDialog({ title: t("appEvents.unsubscribe"), message: t("appEvents.unsubscribeConfirm", { name: app.name }), confirmLabel: t("appEvents.unsubscribe"), danger: true }))) return;
    try {
      await api.del(`${appPath(app)}/subscription`);
      toast(t("appEvents.unsubscribed"), { type: "success" });
      render(null);
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }
}
