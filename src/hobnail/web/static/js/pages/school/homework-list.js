// /school/homework: every homework I can see. Teachers choose a scope (my classes, to grade,
// assigned by me, and for admins the whole school), each row with its counts; guardians see
// their children's homework, due soonest first. "More" pages on with the cursor.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, emptyState, debounce } from "../../ui.js";
import { backLink, isStaff } from "./common.js";
import { staffItem, childItem, sortForGuardian } from "./homework-common.js";

const LIMIT = 30;
const LIVE = ["homework.assigned", "homework.submitted", "homework.withdrawn", "homework.graded"];

export async function render(ctx) {
  const staff = isStaff();
  const body = h("div", { class: "hw-list-page", "data-testid": "hw-list-page" });
  const head = h("div", { class: "page-head" }, h("h1", {}, t("homework.all")));
  ctx.main.append(backLink("/school", t("nav.school")), head, body);

  let home;
  try {
    home = await api.get("/school/me");
  } catch (error) {
    if (ctx.isCurrent()) clear(body, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
    return;
  }
  if (!ctx.isCurrent()) return;
  const teaches = staff && (home.teaching.length > 0 || home.is_admin);
  const scopes = teaches ? ["teaching", "to_grade", "assigned", ...(home.is_admin ? ["all"] : [])] : [];
  if (home.children.length) scopes.push("children");
  let scope = ctx.query.get("scope");
  if (!scopes.includes(scope)) scope = scopes[0] || "children";
  if (teaches) head.append(h("div", { class: "page-actions" }, h("a", { href: "/school/homework/new", class: "btn btn-primary", "data-testid": "hw-assign-link" }, t("homework.assign"))));

  const tabs = scopes.length > 1
    ? h(
        "nav",
        { class: "hw-scopes", "aria-label": t("homework.scopesLabel"), "data-testid": "hw-scopes" },
        scopes.map((s) => h("a", { href: `/school/homework?scope=${s}`, class: "hw-scope", "aria-current": s === scope ? "page" : null, "data-testid": `hw-scope-${s}` }, t(`homework.scope.${s}`))),
      )
    : null;
  const list = h("ul", { class: "hw-list", "data-testid": "hw-list" });
  const more = h("button", { type: "button", class: "btn", hidden: true, "data-testid": "hw-more" }, t("homework.more"));
  const status = h("div", { role: "status" }, loading());
  clear(body, tabs, h("section", { class: "card" }, status, list, h("div", { class: "row-actions" }, more)));

  let cursor = null;
  let items = [];
  async function load({ reset = false } = {}) {
    if (reset) {
      cursor = null;
      items = [];
    }
    let page;
    try {
      page = await api.get("/school/homework", { scope, limit: LIMIT, cursor });
    } catch (error) {
      if (ctx.isCurrent()) clear(status, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
      return;
    }
    if (!ctx.isCurrent()) return;
    items = items.concat(page.items);
    cursor = page.next_cursor;
    const shown = scope === "children" ? sortForGuardian(items) : items;
    clear(list, shown.map(scope === "children" ? childItem : staffItem));
    clear(status, items.length ? null : emptyState(scope === "children" ? t("homework.noneForChildren") : t("homework.noneAssigned"), "hw-empty"));
    more.hidden = !cursor;
  }
  more.addEventListener("click", () => load());
  const soon = debounce(() => load({ reset: true }), 300);
  for (const type of LIVE) ctx.on(type, soon);
  await load();
}
