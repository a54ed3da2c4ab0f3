// Group settings: the group's custom robots (DingTalk-style webhooks) and, for organisation
// admins, adding an app's bot to the group. Only the group's owner and admins manage them;
// members see the list without webhooks.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, dialog, confirmDialog, toast, field, checkbox, formError, showError, busy, copyField, loading } from "../../ui.js";
import { isAdmin } from "../../state.js";
import { robotAvatar } from "./cards.js";

function splitList(text) {
  return String(text || "")
    .split(/[\s,，;；]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

export function webhookUrl(robot) {
  return robot.webhook_path ? `${location.origin}${robot.webhook_path}` : "";
}

function safeguards(robot) {
  const parts = [];
  if (robot.keywords?.length) parts.push(t("robots.keywordsList", { words: robot.keywords.join(t("common.listSep")) }));
  if (robot.secret) parts.push(t("robots.signed"));
  if (robot.ip_allow?.length) parts.push(t("robots.ipList", { list: robot.ip_allow.join(t("common.listSep")) }));
  return parts.join(" · ");
}

/** The webhook and secret of a robot, with copy buttons (group admins). */
function credentials(robot) {
  return h(
    "div",
    { class: "robot-credentials stack" },
    copyField({ label: t("robots.webhook"), value: webhookUrl(robot), testid: "robot-webhook" }),
    robot.secret ? copyField({ label: t("robots.secret"), value: robot.secret, testid: "robot-secret" }) : null,
    h("p", { class: "hint" }, t("robots.compatHint")),
    robot.secret ? h("p", { class: "hint" }, t("robots.signHint")) : null,
  );
}

function addRobotDialog(convId) {
  return new Promise((resolve) => {
    let created = null;
    const d = dialog({
      title: t("robots.add"),
      testid: "robot-dialog",
      content: (close) => {
        const form = h("form", { class: "stack", novalidate: true });
        form.append(
          formError(),
          field({ label: t("robots.name"), name: "name", required: true, testid: "robot-name", attrs: { maxlength: 50, autocomplete: "off" } }),
          h("fieldset", { class: "robot-safeguards" },
            h("legend", {}, t("robots.safeguards")),
            h("p", { class: "hint" }, t("robots.safeguardsHint")),
            field({ label: t("robots.keywords"), name: "keywords", hint: t("robots.keywordsHint"), testid: "robot-keywords", attrs: { autocomplete: "off" } }),
            checkbox({ label: t("robots.sign"), name: "sign", testid: "robot-sign" }),
            field({ label: t("robots.ipAllow"), name: "ip_allow", type: "textarea", hint: t("robots.ipAllowHint"), testid: "robot-ip-allow", attrs: { rows: 2 } }),
          ),
          h(
            "div",
            { class: "actions" },
            h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.cancel")),
            h("button", { type: "submit", class: "btn btn-primary", "data-testid": "robot-save" }, t("robots.create")),
          ),
        );
        form.addEventListener("submit", (e) => {
          e.preventDefault();
          const f = form.elements;
          const body = { name: f.name.value.trim(), keywords: splitList(f.keywords.value), sign: f.sign.checked, ip_allow: splitList(f.ip_allow.value) };
          if (!body.name) return showError(form, { code: "name_required", field: "name", message: t("error.name_required") });
          busy(form, async () => {
            try {
              created = await api.post(`/conversations/${convId}/robots`, body);
            } catch (error) {
              return showError(form, error);
            }
            const holder = form.parentElement;
            clear(
              holder,
              h(
                "div",
                { class: "stack", "data-testid": "robot-created" },
                h("p", { class: "notice notice-ok", role: "status" }, t("robots.createdText", { name: created.name })),
                credentials(created),
                h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-primary", "data-testid": "robot-created-done", onclick: () => close() }, t("common.done"))),
              ),
            );
            holder.querySelector("[data-testid=robot-webhook]")?.focus();
          });
        });
        return form;
      },
    });
    d.closed.then(() => resolve(created));
  });
}

function showRobot(robot) {
  dialog({ title: robot.name, testid: "robot-details", content: (close) => h("div", { class: "stack" }, h("p", { class: "muted" }, safeguards(robot)), credentials(robot), h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => close() }, t("common.close")))) });
}

/**
 * robotsSection(conv, admin, {onMembersChanged}) → the section element (it loads itself).
 * admin: the person is the group's owner or admin and the group is active.
 */
export function robotsSection(conv, admin, { onMembersChanged } = {}) {
  const convId = conv.id;
  const list = h("div", {}, loading());
  const addButton = admin
    ? h("button", { type: "button", class: "btn btn-small", "data-testid": "robot-add", onclick: async () => (await addRobotDialog(convId)) && load() }, t("robots.add"))
    : null;
  const section = h(
    "section",
    { class: "gs-section gs-robots", "aria-labelledby": `robots-h-${convId}`, "data-testid": "settings-robots" },
    h("div", { class: "gs-members-head" }, h("h3", { id: `robots-h-${convId}` }, t("robots.title")), addButton),
    admin ? h("p", { class: "hint" }, t("robots.help")) : null,
    list,
    admin && isAdmin() ? appsPicker(convId, onMembersChanged) : null,
  );

  function row(robot) {
    return h(
      "li",
      { class: "gs-member robot-row", "data-testid": "robot-row", "data-robot-id": robot.id },
      robotAvatar("sm"),
      h("span", { class: "gs-member-name" }, robot.name, h("span", { class: "muted small robot-safeguard" }, safeguards(robot))),
      admin
        ? h(
            "span",
            { class: "gs-member-actions" },
            robot.webhook_path ? h("button", { type: "button", class: "btn btn-small", "data-testid": "robot-show", "aria-label": t("robots.showOf", { name: robot.name }), onclick: () => showRobot(robot) }, t("robots.show")) : null,
            h(
              "button",
              {
                type: "button",
                class: "btn btn-small btn-danger-outline",
                "data-testid": "robot-delete",
                "aria-label": t("robots.deleteOf", { name: robot.name }),
                onclick: async () => {
                  if (!(await confirmDialog({ title: t("robots.delete"), message: t("robots.deleteConfirm", { name: robot.name }), confirmLabel: t("robots.delete"), danger: true }))) return;
                  try {
                    await api.del(`/conversations/${convId}/robots/${encodeURIComponent(robot.id)}`);
                    toast(t("robots.deleted"), { type: "success" });
                  } catch (error) {
                    toast(errorText(error), { type: "error" });
                  }
                  load();
                },
              },
              t("robots.delete"),
            ),
          )
        : null,
    );
  }

  async function load() {
    try {
      const robots = await api.get(`/conversations/${convId}/robots`);
      if (!admin && !robots.length) {
        section.hidden = true;
        return;
      }
      section.hidden = false;
      clear(list, robots.length ? h("ul", { class: "gs-member-list", "data-testid": "robot-list" }, robots.map(row)) : h("p", { class: "muted small", "data-testid": "robots-empty" }, t("robots.none")));
    } catch (error) {
      clear(list, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  load();
  return section;
}

/** Organisation admins: put one of the organisation's apps' bots into the group. */
function appsPicker(convId, onMembersChanged) {
  const box = h("div", { class: "gs-apps", "data-testid": "settings-apps" });
  const selectId = `group-app-${convId}`;
  api
    .get("/apps")
    .then((apps) => {
      const enabled = apps.filter((a) => a.enabled);
      if (!enabled.length) return clear(box, h("p", { class: "muted small" }, t("robots.noApps")));
      const select = h("select", { id: selectId, "data-testid": "group-app-select" }, enabled.map((a) => h("option", { value: a.id }, a.name)));
      const add = h(
        "button",
        {
          type: "button",
          class: "btn btn-small",
          "data-testid": "group-app-add",
          onclick: async () => {
            add.disabled = true;
            try {
              const app = await api.post(`/conversations/${convId}/apps`, { app_id: select.value });
              toast(t("robots.appAdded", { name: app.name }), { type: "success" });
              onMembersChanged && onMembersChanged();
            } catch (error) {
              toast(errorText(error), { type: "error" });
            } finally {
              add.disabled = false;
            }
          },
        },
        t("robots.addApp"),
      );
      clear(box, h("label", { for: selectId }, t("robots.appBot")), h("div", { class: "copy-row" }, select, add), h("p", { class: "hint" }, t("robots.appBotHint")));
    })
    .catch(() => box.remove());
  return box;
}
