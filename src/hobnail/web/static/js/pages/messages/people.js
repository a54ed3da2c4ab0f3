// Picking people from the directory: start a 1:1 chat, create a group, add group members.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, dialog, avatar, debounce, formError, showError, busy, uid, field, toast } from "../../ui.js";
import { icon } from "../../icons.js";
import { meId, rememberPeople, updateConversation } from "./store.js";

/**
 * A directory search with results as buttons (single) or checkboxes (multiple).
 * Returns {el, selected: Map(id → member), focus()}.
 */
function personPicker({ multiple, exclude = new Set(), onPick, testid }) {
  const selected = new Map();
  const searchId = uid("pick");
  const input = h("input", { id: searchId, type: "search", autocomplete: "off", placeholder: t("contacts.searchPlaceholder"), "data-testid": `${testid}-search` });
  const chips = h("div", { class: "chips", "data-testid": `${testid}-selected`, "aria-live": "polite" });
  const list = h("ul", { class: "pick-list", "data-testid": `${testid}-results` });
  let seq = 0;

  const renderChips = () =>
    clear(
      chips,
      [...selected.values()].map((m) =>
        h(
          "button",
          { type: "button", class: "chip", "aria-label": t("messages.unselect", { name: m.name }), onclick: () => toggle(m, false) },
          m.name,
          h("span", { "aria-hidden": "true" }, " ×"),
        ),
      ),
    );
  function toggle(member, on) {
    if (on) selected.set(member.id, member);
    else selected.delete(member.id);
    renderChips();
    const box = list.querySelector(`input[data-member-id="${CSS.escape(member.id)}"]`);
    if (box) box.checked = on;
    onPick && onPick(selected);
  }
  const search = async () => {
    const mine = ++seq;
    try {
      const page = await api.get("/members", { q: input.value.trim() || undefined, limit: 30 });
      if (mine !== seq) return;
      rememberPeople(page.items);
      const people = page.items.filter((m) => m.id !== meId() && !exclude.has(m.id));
      clear(
        list,
        people.length
          ? people.map((m) => {
              const sub = h("span", { class: "member-sub" }, m.title || "");
              if (!multiple) {
                return h(
                  "li",
                  {},
                  h(
                    "button",
                    { type: "button", class: "member-row", "data-testid": `${testid}-person`, "data-member-id": m.id, onclick: () => onPick(m) },
                    avatar(m, "sm"),
                    h("span", { class: "member-main" }, h("span", { class: "member-name" }, m.name), sub),
                  ),
                );
              }
              const id = uid("pm");
              return h(
                "li",
                {},
                h("input", {
                  type: "checkbox",
                  id,
                  checked: selected.has(m.id),
                  "data-testid": `${testid}-person`,
                  "data-member-id": m.id,
                  onchange: (e) => toggle(m, e.target.checked),
                }),
                h("label", { for: id, class: "pick-label" }, avatar(m, "sm"), h("span", { class: "member-main" }, h("span", { class: "member-name" }, m.name), sub)),
              );
            })
          : h("li", { class: "muted small" }, t("contacts.noResults")),
      );
    } catch (error) {
      if (mine === seq) clear(list, h("li", { class: "notice notice-error" }, errorText(error)));
    }
  };
  input.addEventListener("input", debounce(search, 200));
  search();
  const el = h(
    "div",
    { class: "picker" },
    h("div", { class: "search" }, h("label", { for: searchId, class: "sr-only" }, t("contacts.search")), icon("search", 18), input),
    multiple ? chips : null,
    list,
  );
  return { el, selected, focus: () => input.focus() };
}

/** Start (or open) a 1:1 chat; resolves with the conversation or null. */
export async function openDirect(userId) {
  try {
    const conv = await api.post("/conversations/direct", { user_id: userId });
    updateConversation(conv);
    return conv;
  } catch (error) {
    toast(errorText(error), { type: "error" });
    return null;
  }
}

export function newChatDialog({ onOpen }) {
  const d = dialog({
    title: t("messages.newChat"),
    testid: "new-chat-dialog",
    content: (close) => {
      const picker = personPicker({
        multiple: false,
        testid: "new-chat",
        onPick: async (m) => {
          const conv = await openDirect(m.id);
          if (conv) {
            close(conv);
            onOpen(conv);
          }
        },
      });
      const bots = h("ul", { class: "pick-list", "data-testid": "new-chat-bots" });
      const botSection = h("section", { class: "stack", hidden: true }, h("h3", { class: "small muted" }, t("messages.bots")), bots);
      api
        .get("/bots")
        .then((found) => {
          if (!found.length) return;
          botSection.hidden = false;
          clear(
            bots,
            found.map((b) =>
              h(
                "li",
                {},
                h(
                  "button",
                  { type: "button", class: "member-row", "data-testid": "new-chat-bot", "data-bot-id": b.bot_user_id, onclick: () => openBot(b) },
                  avatar({ id: b.bot_user_id, name: b.name }, "sm"),
                  h("span", { class: "member-main" }, h("span", { class: "member-name" }, b.name), h("span", { class: "member-sub" }, t("messages.botHint"))),
                ),
              ),
            ),
          );
        })
        .catch(() => {});
      async function openBot(bot) {
        try {
          const conv = await api.post(`/bots/${encodeURIComponent(bot.bot_user_id)}/chat`);
          updateConversation(conv);
          close(conv);
          onOpen(conv);
        } catch (error) {
          toast(errorText(error), { type: "error" });
        }
      }
      return h("div", { class: "stack" }, picker.el, botSection);
    },
  });
  d.el.querySelector("input[type=search]")?.focus();
  return d;
}

export function newGroupDialog({ onOpen }) {
  const form = h("form", { class: "stack", novalidate: true, "data-testid": "new-group-form" });
  const picker = personPicker({ multiple: true, testid: "new-group" });
  const nameField = field({ label: t("messages.groupName"), name: "name", required: true, testid: "new-group-name", attrs: { maxlength: 200 } });
  form.append(
    formError(),
    nameField,
    h("fieldset", { class: "picker-fieldset" }, h("legend", {}, t("messages.pickMembers")), picker.el),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "new-group-submit" }, t("messages.createGroup"))),
  );
  const d = dialog({ title: t("messages.newGroup"), testid: "new-group-dialog", content: form, wide: true });
  form.querySelector("input[name=name]").focus();
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const name = form.elements.name.value.trim();
    if (!name) return showError(form, { code: "name_required", details: { field: "name" }, field: "name" });
    busy(form, async () => {
      try {
        const conv = await api.post("/conversations/groups", { name, member_ids: [...picker.selected.keys()] });
        updateConversation(conv);
        d.close(conv);
        onOpen(conv);
      } catch (error) {
        showError(form, error);
      }
    });
  });
  return d;
}

/** Add people to a group; resolves with the updated conversation or null. */
export function addMembersDialog(conv, existing) {
  const picker = personPicker({ multiple: true, testid: "add-members", exclude: new Set(existing) });
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    formError(),
    picker.el,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "add-members-submit" }, t("messages.addMembers"))),
  );
  const d = dialog({ title: t("messages.addMembers"), testid: "add-members-dialog", content: form, wide: true });
  picker.focus();
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!picker.selected.size) return;
    busy(form, async () => {
      try {
        const updated = await api.post(`/conversations/${conv.id}/members`, { user_ids: [...picker.selected.keys()] });
        updateConversation(updated);
        d.close(updated);
      } catch (error) {
        showError(form, error);
      }
    });
  });
  return d.closed;
}
