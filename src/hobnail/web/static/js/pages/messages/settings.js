// Chat settings: for groups name, announcement, who may add / @all, only-admins-speak, members
// (add, remove, admin, transfer), mute, leave and dissolve; for 1:1 chats only mute.

import { api, upload } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, dialog, confirmDialog, toast, avatar, field, checkbox, formError, showError, busy, loading } from "../../ui.js";
import { store, meId, loadMembers, subscribe, updateConversation, conversationTitle } from "./store.js";
import { conversationAvatar } from "./list.js";
import { addMembersDialog } from "./people.js";
import { robotsSection } from "./robots.js";

const MANAGED = new Set(["department", "all_staff", "class"]); // members follow the directory or the class roster

export function openSettings(convId, { onLeft }) {
  const body = h("div", { class: "group-settings" });
  const conv0 = store.convs.get(convId);
  const d = dialog({ title: conv0.kind === "direct" ? t("messages.chatSettings") : t("messages.groupSettings"), testid: "group-settings", content: body, wide: true });

  async function act(fn, okText) {
    try {
      const result = await fn();
      if (result && result.id === convId) updateConversation(result);
      if (okText) toast(okText, { type: "success" });
      return true;
    } catch (error) {
      toast(errorText(error), { type: "error" });
      return false;
    }
  }

  function muteToggle(conv) {
    return checkbox({
      label: t("messages.mute"),
      name: "muted",
      checked: conv.muted,
      testid: "settings-mute",
      onchange: (e) => act(() => api.put(`/conversations/${convId}/mute`, { muted: e.target.checked }).then(() => ({ ...store.convs.get(convId), muted: e.target.checked }))),
    });
  }

  /** The group's picture; owners and admins may change it (PUT /conversations/{id}/avatar). */
  function avatarPicker(conv, admin) {
    const preview = h("span", { class: "group-avatar-preview" }, conversationAvatar(conv, "xl"));
    if (!admin) return h("div", { class: "group-avatar" }, preview);
    const inputId = `group-avatar-${convId}`;
    const input = h("input", { id: inputId, type: "file", class: "sr-only", accept: "image/png,image/jpeg,image/gif,image/webp", "data-testid": "group-avatar-file" });
    input.addEventListener("change", () => {
      const file = input.files[0];
      if (!file) return;
      const data = new FormData();
      data.append("file", file, file.name);
      act(() => upload("PUT", `/conversations/${convId}/avatar`, data), t("messages.groupAvatarSaved")).then(() => {
        clear(preview, conversationAvatar(store.convs.get(convId), "xl"));
      });
    });
    return h("div", { class: "group-avatar" }, preview, h("label", { for: inputId, class: "btn btn-small" }, t("messages.groupAvatarChange")), input);
  }

  function infoForm(conv, admin) {
    const form = h("form", { class: "stack", novalidate: true, "data-testid": "settings-form" });
    const name = field({ label: t("messages.groupName"), name: "name", value: conv.name, required: true, testid: "settings-name", attrs: { maxlength: 200, readonly: !admin || conv.kind !== "group" || null } });
    const announcement = field({ label: t("messages.announcement"), name: "announcement", type: "textarea", value: conv.announcement, testid: "settings-announcement", attrs: { maxlength: 5000, rows: 3, readonly: !admin || null } });
    form.append(formError(), name, announcement);
    if (admin) {
      const whoOptions = [
        { value: "all", label: t("messages.whoAll") },
        { value: "admins", label: t("messages.whoAdmins") },
      ];
      if (conv.kind === "group") form.append(field({ label: t("messages.whoCanAdd"), name: "who_can_add", type: "select", value: conv.who_can_add, options: whoOptions, testid: "settings-who-can-add" }));
      form.append(
        field({ label: t("messages.whoCanAtAll"), name: "who_can_at_all", type: "select", value: conv.who_can_at_all, options: whoOptions, testid: "settings-who-can-at-all" }),
        checkbox({ label: t("messages.onlyAdminsSpeak"), name: "only_admins_speak", checked: conv.only_admins_speak, testid: "settings-only-admins" }),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "settings-save" }, t("common.save"))),
      );
    }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const f = form.elements;
      const current = store.convs.get(convId);
      const patch = {};
      if (current.kind === "group" && f.name.value.trim() !== current.name) patch.name = f.name.value.trim();
      if (f.announcement.value.trim() !== current.announcement) patch.announcement = f.announcement.value.trim();
      if (f.who_can_add && f.who_can_add.value !== current.who_can_add) patch.who_can_add = f.who_can_add.value;
      if (f.who_can_at_all.value !== current.who_can_at_all) patch.who_can_at_all = f.who_can_at_all.value;
      if (f.only_admins_speak.checked !== current.only_admins_speak) patch.only_admins_speak = f.only_admins_speak.checked;
      if (!Object.keys(patch).length) return toast(t("common.saved"), { type: "success" });
      busy(form, async () => {
        try {
          updateConversation(await api.patch(`/conversations/${convId}`, patch));
          toast(t("common.saved"), { type: "success" });
        } catch (error) {
          showError(form, error);
        }
      });
    });
    return form;
  }

  function memberRow(m, conv, admin) {
    const isMe = m.user_id === meId();
    const owner = conv.my_role === "owner";
    const managed = MANAGED.has(conv.kind);
    const buttons = [];
    if (!isMe && owner && !managed && m.role !== "owner") {
      buttons.push(
        h(
          "button",
          {
            type: "button",
            class: "btn btn-small",
            "data-testid": m.role === "admin" ? "member-unmake-admin" : "member-make-admin",
            onclick: () => act(() => api.put(`/conversations/${convId}/members/${m.user_id}/role`, { role: m.role === "admin" ? "member" : "admin" }), t("common.saved")).then(refreshMembers),
          },
          m.role === "admin" ? t("messages.removeAdmin") : t("messages.makeAdmin"),
        ),
      );
      if (conv.kind === "group") {
        buttons.push(
          h(
            "button",
            {
              type: "button",
              class: "btn btn-small",
              "data-testid": "member-transfer",
              onclick: async () => {
                if (!(await confirmDialog({ title: t("messages.transfer"), message: t("messages.transferConfirm", { name: m.name }), confirmLabel: t("messages.transfer") }))) return;
                await act(() => api.post(`/conversations/${convId}/transfer`, { user_id: m.user_id }), t("common.saved"));
                refresh();
              },
            },
            t("messages.transfer"),
          ),
        );
      }
    }
    if (!isMe && admin && !managed && m.role !== "owner" && (owner || m.role === "member")) {
      buttons.push(
        h(
          "button",
          {
            type: "button",
            class: "btn btn-small btn-danger-outline",
            "data-testid": "member-remove",
            "aria-label": t("messages.removeMemberOf", { name: m.name }),
            onclick: async () => {
              if (!(await confirmDialog({ title: t("messages.removeMember"), message: t("messages.removeConfirm", { name: m.name }), confirmLabel: t("messages.removeMember"), danger: true }))) return;
              await act(() => api.del(`/conversations/${convId}/members/${m.user_id}`));
              refreshMembers();
            },
          },
          t("messages.removeMember"),
        ),
      );
    }
    return h(
      "li",
      { class: "gs-member", "data-testid": "settings-member", "data-user-id": m.user_id },
      avatar({ id: m.user_id, name: m.name, avatar_url: m.avatar_url }, "sm"),
      h("span", { class: "gs-member-name" }, m.name, isMe ? h("span", { class: "muted" }, ` (${t("messages.you")})`) : null),
      m.role !== "member" ? h("span", { class: `tag role-${m.role}` }, t(m.role === "owner" ? "messages.roleOwner" : "messages.roleAdmin")) : null,
      buttons.length ? h("span", { class: "gs-member-actions" }, buttons) : null,
    );
  }

  const membersBox = h("div", { class: "gs-members" });

  async function refreshMembers() {
    const conv = store.convs.get(convId);
    if (!conv || conv.kind === "direct") return;
    clear(membersBox, loading());
    try {
      const members = await loadMembers(convId, { force: true });
      const admin = conv.my_role === "owner" || conv.my_role === "admin";
      const managed = MANAGED.has(conv.kind);
      const canAdd = !managed && !conv.dissolved && (admin || conv.who_can_add === "all");
      clear(
        membersBox,
        h(
          "div",
          { class: "gs-members-head" },
          h("h3", {}, t("messages.membersCount", { count: members.length })),
          canAdd
            ? h(
                "button",
                {
                  type: "button",
                  class: "btn btn-small",
                  "data-testid": "settings-add-members",
                  onclick: async () => {
                    if (await addMembersDialog(conv, members.map((m) => m.user_id))) refreshMembers();
                  },
                },
                t("messages.addMembers"),
              )
            : null,
        ),
        managed ? h("p", { class: "hint", "data-testid": "settings-managed" }, t(conv.kind === "class" ? "messages.managedByRoster" : "messages.managedByDirectory")) : null,
        h("ul", { class: "gs-member-list", "data-testid": "settings-members" }, members.map((m) => memberRow(m, store.convs.get(convId), admin))),
      );
    } catch (error) {
      clear(membersBox, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }

  function refresh() {
    const conv = store.convs.get(convId);
    if (!conv) return d.close();
    if (conv.kind === "direct") {
      clear(body, h("p", {}, conversationTitle(conv)), muteToggle(conv));
      return;
    }
    const admin = conv.my_role === "owner" || conv.my_role === "admin";
    const owner = conv.my_role === "owner";
    const danger = h("div", { class: "actions gs-danger" });
    if (conv.kind === "group" && !conv.dissolved && !owner) {
      danger.append(
        h(
          "button",
          {
            type: "button",
            class: "btn btn-danger-outline",
            "data-testid": "settings-leave",
            onclick: async () => {
              if (!(await confirmDialog({ title: t("messages.leave"), message: t("messages.leaveConfirm", { name: conv.name }), confirmLabel: t("messages.leave"), danger: true }))) return;
              if (await act(() => api.del(`/conversations/${convId}/members/${meId()}`))) {
                d.close();
                onLeft && onLeft();
              }
            },
          },
          t("messages.leave"),
        ),
      );
    }
    if (conv.kind === "group" && owner && !conv.dissolved) {
      danger.append(
        h(
          "button",
          {
            type: "button",
            class: "btn btn-danger",
            "data-testid": "settings-dissolve",
            onclick: async () => {
              if (!(await confirmDialog({ title: t("messages.dissolve"), message: t("messages.dissolveConfirm", { name: conv.name }), confirmLabel: t("messages.dissolve"), danger: true }))) return;
              if (await act(() => api.del(`/conversations/${convId}`), t("messages.dissolved"))) d.close();
            },
          },
          t("messages.dissolve"),
        ),
      );
    }
    clear(
      body,
      conv.dissolved ? h("p", { class: "notice" }, t("messages.dissolvedNote")) : null,
      conv.kind !== "direct" ? avatarPicker(conv, admin && !conv.dissolved) : null,
      infoForm(conv, admin && !conv.dissolved),
      h("div", { class: "gs-section" }, muteToggle(conv)),
      membersBox,
      robotsSection(conv, admin && !conv.dissolved, { onMembersChanged: refreshMembers }),
      danger.children.length ? danger : null,
    );
    refreshMembers();
  }

  refresh();
  const stop = subscribe((kind, data) => {
    if (kind === "removed" && data.id === convId) d.close();
    if (kind === "conv" && data.id === convId && data.members) refreshMembers();
  });
  d.closed.then(stop);
  return d;
}
