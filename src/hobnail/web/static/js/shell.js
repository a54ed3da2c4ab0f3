// The signed-in frame: header (org switcher, language, user menu), navigation, <main>.

import { h, avatar, uid } from "./ui.js";
import { t, getLang, LANGUAGES } from "./i18n.js";
import { icon } from "./icons.js";
import { state, isAdmin, org, user } from "./state.js";
import { visibleNavItems, navIdFor } from "./nav.js";

/** A language <select>; onChange(lang). Used in the header, bare pages and Settings. */
export function languageSelect({ onChange, testid = "lang-switch", compact = false }) {
  const id = uid("lang");
  const select = h(
    "select",
    { id, "data-testid": testid, onchange: (e) => onChange(e.target.value) },
    LANGUAGES.map((l) => h("option", { value: l.code, selected: l.code === getLang() }, l.label)),
  );
  return h(
    "div",
    { class: `lang-switch${compact ? " compact" : ""}` },
    h("label", { for: id, class: "sr-only" }, t("common.language")),
    icon("globe", 18),
    select,
  );
}

function orgSwitcher(actions) {
  const current = org();
  const orgs = state.session.orgs || [];
  if (orgs.length < 2) {
    return h("span", { class: "org-name", "data-testid": "org-name" }, current ? current.name : t("shell.noOrg"));
  }
  const id = uid("org");
  return h(
    "div",
    { class: "org-switch" },
    h("label", { for: id, class: "sr-only" }, t("shell.switchOrg")),
    h(
      "select",
      { id, "data-testid": "org-switcher", onchange: (e) => actions.switchOrg(e.target.value) },
      orgs.map((o) => h("option", { value: o.id, selected: current && o.id === current.id }, o.name)),
    ),
  );
}

function userMenu(actions) {
  const me = user();
  const menuId = uid("user-menu");
  const button = h(
    "button",
    {
      type: "button",
      class: "user-btn",
      "aria-haspopup": "true",
      "aria-expanded": "false",
      "aria-controls": menuId,
      "aria-label": t("shell.userMenu", { name: me.name }),
      "data-testid": "user-menu-button",
    },
    avatar(me, "sm"),
    h("span", { class: "user-name" }, me.name),
    icon("chevron", 16),
  );
  const menu = h(
    "div",
    { class: "menu", id: menuId, hidden: true, "data-testid": "user-menu" },
    h("div", { class: "menu-head" }, h("strong", {}, me.name), h("span", {}, me.email || me.phone || "")),
    h("a", { href: "/settings", class: "menu-item", "data-testid": "menu-settings" }, icon("settings", 18), t("nav.settings")),
    h(
      "button",
      { type: "button", class: "menu-item", "data-testid": "sign-out", onclick: () => actions.signOut() },
      icon("logout", 18),
      t("shell.signOut"),
    ),
  );
  const setOpen = (open) => {
    menu.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) menu.querySelector(".menu-item")?.focus();
  };
  button.addEventListener("click", (e) => {
    e.stopPropagation();
    setOpen(menu.hidden);
  });
  menu.addEventListener("click", () => setOpen(false));
  document.addEventListener("click", (e) => {
    if (!menu.hidden && !menu.contains(e.target)) setOpen(false);
  });
  menu.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      setOpen(false);
      button.focus();
    }
  });
  return h("div", { class: "user-menu" }, button, menu);
}

export function buildShell(actions) {
  const items = visibleNavItems({ isAdmin: isAdmin(), hasOrg: !!org() });
  const nav = h(
    "nav",
    { class: "nav", "aria-label": t("shell.mainNav"), "data-testid": "main-nav" },
    h(
      "ul",
      {},
      items.map((item) =>
        h(
          "li",
          {},
          h(
            "a",
            { href: item.path, class: "nav-item", "data-nav": item.id, "data-testid": `nav-${item.id}` },
            icon(item.icon, 22),
            h("span", { class: "nav-label" }, t(item.label)),
            item.id === "admin" ? h("span", { class: "badge", "data-testid": "join-request-badge", hidden: true }) : null,
          ),
        ),
      ),
    ),
  );
  const header = h(
    "header",
    { class: "header", "data-testid": "app-header" },
    h("a", { href: "/", class: "brand", "aria-label": t("shell.home") }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "H"), h("span", { class: "brand-text" }, "Hobnail")),
    orgSwitcher(actions),
    h("div", { class: "header-spacer" }),
    languageSelect({ onChange: actions.changeLanguage, compact: true }),
    userMenu(actions),
  );
  const main = h("main", { id: "main", class: "main", tabindex: "-1", "data-testid": "main" });
  const skip = h("a", { href: "#main", class: "skip-link", onclick: (e) => { e.preventDefault(); main.focus(); } }, t("shell.skip"));
  const root = h("div", { class: "shell" }, skip, header, h("div", { class: "body" }, nav, main));
  return { root, main, nav };
}

export function markActive(nav, pathname) {
  const active = navIdFor(pathname);
  nav.querySelectorAll(".nav-item").forEach((a) => {
    if (a.dataset.nav === active) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
}

export function updateBadge(nav) {
  const badge = nav && nav.querySelector("[data-testid=join-request-badge]");
  if (!badge) return;
  const n = state.pendingJoinRequests;
  badge.hidden = !n;
  badge.replaceChildren(
    h("span", { "aria-hidden": "true" }, n > 99 ? "99+" : String(n)),
    h("span", { class: "sr-only" }, t("shell.pendingRequests", { count: n })),
  );
}
