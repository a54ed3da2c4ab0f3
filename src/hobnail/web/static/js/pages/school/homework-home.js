// The homework (家校本) sections of the school home. Teachers: the homework they assigned or
// that was assigned to their classes, with submitted / graded / not-submitted counts and
// "n to grade", and an "Assign homework" button. Guardians: their children's homework, due
// soonest first, with each child's state. Both refresh themselves on homework events.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, uid, emptyState, debounce } from "../../ui.js";
import { addHomeSection } from "./home.js";
import { staffItem, childItem, sortForGuardian } from "./homework-common.js";

const SHOWN = 5;
const LIVE = ["homework.assigned", "homework.submitted", "homework.withdrawn", "homework.graded"];
const wired = new WeakSet();
const boxes = { teach: null, children: null };

/** Subscribe once per page visit; each event re-draws whichever sections are on screen. */
function wire(ctx) {
  if (wired.has(ctx)) return;
  wired.add(ctx);
  const soon = debounce(async () => {
    if (!ctx.isCurrent()) return;
    let home;
    try {
      home = await api.get("/school/me");
    } catch {
      return;
    }
    for (const [key, box] of Object.entries(boxes)) {
      if (box && box.isConnected) box.replaceWith((await (key === "teach" ? teachSection(ctx, home) : childrenSection(ctx, home))) || h("span", { hidden: true }));
    }
  }, 300);
  for (const type of LIVE) ctx.on(type, soon);
}

function shell(testid, title, count, action, ...children) {
  const id = uid("hw-h");
  return h(
    "section",
    { class: "card school-section hw-home", "aria-labelledby": id, "data-testid": testid },
    h("div", { class: "hw-home-head" }, h("h2", { id }, title), count, action),
    children,
  );
}

async function teachSection(ctx, home) {
  if (!home.teaching.length && !home.is_admin) return null;
  wire(ctx);
  let items = [];
  let failure = null;
  try {
    items = (await api.get("/school/homework", { scope: "teaching", limit: SHOWN })).items;
  } catch (error) {
    failure = errorText(error);
  }
  const waiting = home.homework_to_grade || 0;
  const el = shell(
    "school-homework",
    t("homework.title"),
    waiting ? h("span", { class: "tag tag-warn", "data-testid": "hw-home-to-grade" }, t("homework.toGradeCount", { count: waiting })) : null,
    h("a", { href: "/school/homework/new", class: "btn btn-primary btn-small hw-home-action", "data-testid": "hw-assign-link" }, t("homework.assign")),
    failure ? h("p", { class: "notice notice-error", role: "alert" }, failure) : null,
    !failure && !items.length ? emptyState(t("homework.noneAssigned"), "hw-empty") : null,
    items.length ? h("ul", { class: "hw-list", "data-testid": "hw-list" }, items.map(staffItem)) : null,
    h(
      "div",
      { class: "row-actions hw-home-actions" },
      h("a", { href: "/school/homework", class: "btn btn-small", "data-testid": "hw-all-link" }, t("homework.all")),
    ),
  );
  boxes.teach = el;
  return el;
}

async function childrenSection(ctx, home) {
  if (!home.children.length) return null;
  wire(ctx);
  let items = [];
  let failure = null;
  try {
    items = sortForGuardian((await api.get("/school/homework", { scope: "children", limit: 50 })).items);
  } catch (error) {
    failure = errorText(error);
  }
  const due = home.homework_due || 0;
  const el = shell(
    "school-homework-children",
    t("homework.title"),
    due ? h("span", { class: "tag tag-warn", "data-testid": "hw-home-due" }, t("homework.dueCount", { count: due })) : null,
    null,
    failure ? h("p", { class: "notice notice-error", role: "alert" }, failure) : null,
    !failure && !items.length ? emptyState(t("homework.noneForChildren"), "hw-empty") : null,
    items.length ? h("ul", { class: "hw-list", "data-testid": "hw-list" }, items.slice(0, SHOWN + 3).map(childItem)) : null,
    items.length > SHOWN + 3 ? h("div", { class: "row-actions" }, h("a", { href: "/school/homework", class: "btn btn-small", "data-testid": "hw-all-link" }, t("homework.all"))) : null,
  );
  boxes.children = el;
  return el;
}

export function install() {
  addHomeSection({ id: "homework-children", order: 15, render: childrenSection });
  addHomeSection({ id: "homework", order: 30, render: teachSection });
}
