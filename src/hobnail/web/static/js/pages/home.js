// /: welcome card with the organisation name and shortcuts to ready capabilities.

import { t } from "../i18n.js";
import { h } from "../ui.js";
import { icon } from "../icons.js";
import { org, user, isAdmin, orgTimezone } from "../state.js";
import { visibleNavItems } from "../nav.js";

export function render(ctx) {
  const current = org();
  const me = user();
  let hour = new Date().getHours();
  try {
    hour = Number(new Intl.DateTimeFormat("en-US", { hour: "numeric", hourCycle: "h23", timeZone: orgTimezone() }).format(new Date()));
  } catch {
    /* keep the browser's hour */
  }
  const greeting = hour < 12 ? t("home.morning") : hour < 18 ? t("home.afternoon") : t("home.evening");
  const shortcuts = visibleNavItems({ isAdmin: isAdmin(), hasOrg: !!current }).filter((i) => i.id !== "home");

  ctx.main.append(
    h(
      "section",
      { class: "card welcome", "data-testid": "welcome-card" },
      h("p", { class: "welcome-org", "data-testid": "welcome-org" }, current ? current.name : t("shell.noOrg")),
      h("h1", {}, t("home.welcome", { greeting, name: me.name })),
      h("p", { class: "muted" }, current ? t("home.intro") : t("shell.noOrgText")),
    ),
    h(
      "section",
      { class: "card" },
      h("h2", {}, t("home.shortcuts")),
      h(
        "ul",
        { class: "shortcuts", "data-testid": "shortcuts" },
        shortcuts.map((item) =>
          h(
            "li",
            {},
            h(
              "a",
              { href: item.path, class: "shortcut", "data-testid": `shortcut-${item.id}` },
              h("span", { class: `shortcut-icon si-${item.id}` }, icon(item.icon, 26)),
              h("span", {}, t(item.label)),
            ),
          ),
        ),
      ),
    ),
  );
}
