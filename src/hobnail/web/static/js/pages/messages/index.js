// /messages and /messages/:id — the conversation list (with search, new chat / group) on the
// left and the open chat on the right; on phones (≤ 640 px) two screens with a back button.
// /messages?with=USER_ID opens (or creates) the 1:1 chat with that person.
// /messages/:id?around=MESSAGE_ID opens the chat centred on that message, highlighted.

import { t, errorText } from "../../i18n.js";
import { h, clear, uid, debounce, toast } from "../../ui.js";
import { icon } from "../../icons.js";
import { store, subscribe, ensureLoaded, notificationsSupported } from "./store.js";
import { renderList } from "./list.js";
import { createChat } from "./chat.js";
import { createSearch } from "./search.js";
import { newChatDialog, newGroupDialog, openDirect } from "./people.js";

export async function render(ctx) {
  let chat = null;
  let chatKey = null;
  let activeId = null;

  const go = (path, opts) => ctx.navigate(path, opts);

  // ---------- left: list + search ----------
  const searchId = uid("msg-search");
  const searchInput = h("input", {
    id: searchId,
    type: "search",
    autocomplete: "off",
    placeholder: t("messages.searchPlaceholder"),
    "data-testid": "messages-search",
    enterkeyhint: "search",
  });
  const listTitleId = uid("conv-title");
  const list = h("ul", { class: "conv-list", "aria-labelledby": listTitleId, "data-testid": "conversation-list" });
  const search = createSearch({ onOpen: (cid, mid) => go(`/messages/${cid}?around=${encodeURIComponent(mid)}`) });
  search.el.hidden = true;

  const notifyButton = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-block notify-btn",
      "data-testid": "notify-enable",
      hidden: !notificationsSupported() || Notification.permission !== "default",
      onclick: async () => {
        try {
          await Notification.requestPermission();
        } catch {
          /* ignored */
        }
        notifyButton.hidden = Notification.permission === "default";
        if (Notification.permission === "granted") toast(t("messages.notifyOn"), { type: "success" });
      },
    },
    t("messages.notifyEnable"),
  );

  const pane = h(
    "aside",
    { class: "conv-pane", "aria-labelledby": listTitleId },
    h(
      "div",
      { class: "conv-head" },
      h("h1", { id: listTitleId }, t("nav.messages")),
      h(
        "div",
        { class: "conv-head-actions" },
        h(
          "button",
          { type: "button", class: "icon-btn", "aria-label": t("messages.newChat"), title: t("messages.newChat"), "data-testid": "new-chat", onclick: () => newChatDialog({ onOpen: (c) => go(`/messages/${c.id}`) }) },
          icon("plus", 20),
        ),
        h(
          "button",
          { type: "button", class: "btn btn-small", "data-testid": "new-group", onclick: () => newGroupDialog({ onOpen: (c) => go(`/messages/${c.id}`) }) },
          t("messages.newGroup"),
        ),
      ),
    ),
    h("div", { class: "search conv-search" }, h("label", { for: searchId, class: "sr-only" }, t("messages.search")), icon("search", 18), searchInput),
    notifyButton,
    list,
    search.el,
  );

  const chatPane = h("div", { class: "chat-pane" });
  const root = h("div", { class: "messages", "data-testid": "messages-page" }, pane, chatPane);
  ctx.main.classList.add("main-messages");
  ctx.main.append(root);

  const placeholder = () => h("div", { class: "chat-placeholder", "data-testid": "chat-placeholder" }, icon("messages", 48), h("p", {}, t("messages.pickChat")));

  function drawList() {
    if (!list.hidden) renderList(list, { activeId, onOpen: (c) => go(`/messages/${c.id}`) });
  }

  const runSearch = debounce(() => {
    const q = searchInput.value.trim();
    if (!q) {
      search.reset();
      search.el.hidden = true;
      list.hidden = false;
      drawList();
      return;
    }
    list.hidden = true;
    search.el.hidden = false;
    search.run(q);
  }, 300);
  searchInput.addEventListener("input", runSearch);
  searchInput.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && searchInput.value) {
      searchInput.value = "";
      runSearch();
    }
  });

  // ---------- right: the chat ----------
  function show({ params, query }) {
    const id = params.id || null;
    const around = query.get("around");
    const withUser = query.get("with");
    if (withUser && !id) {
      openDirect(withUser).then((c) => go(c ? `/messages/${c.id}` : "/messages", { replace: true }));
      return;
    }
    activeId = id;
    store.openId = id;
    root.classList.toggle("has-chat", !!id);
    const key = `${id}|${around || ""}`;
    if (key !== chatKey) {
      if (chat && id && chatKey && chatKey.startsWith(`${id}|`) && around) {
        chat.jumpTo(around);
      } else {
        if (chat) chat.destroy();
        chat = null;
        if (id) {
          chat = createChat({ convId: id, aroundId: around, onBack: () => go("/messages"), onLeft: () => go("/messages", { replace: true }) });
          clear(chatPane, chat.el);
        } else clear(chatPane, placeholder());
      }
      chatKey = key;
    }
    const conv = id && store.convs.get(id);
    document.title = [conv ? conv.name || conv.peer?.name : t("nav.messages"), "Hobnail"].filter(Boolean).join(" · ");
    drawList();
  }

  const stop = subscribe((kind) => {
    if (kind === "list" || kind === "conv" || kind === "removed") drawList();
  });
  const redrawTimes = setInterval(drawList, 60000);

  drawList();
  try {
    await ensureLoaded();
  } catch (error) {
    toast(errorText(error), { type: "error" });
  }
  if (!ctx.isCurrent()) {
    stop();
    clearInterval(redrawTimes);
    return;
  }
  drawList();
  show(ctx);
  ctx.onUpdate(show);

  return () => {
    stop();
    clearInterval(redrawTimes);
    if (chat) chat.destroy();
    store.openId = null;
    ctx.main.classList.remove("main-messages");
  };
}
