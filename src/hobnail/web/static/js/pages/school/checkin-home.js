// The daily check-in (每日打卡) sections of the school home.
//
// Guardians: "Today's check-in" (only when a form applies today): for each child and form,
// the window (school time), and either the form (when open), "checked in at …" with the
// values and a Change button (while the window is open), or when it opens / that it closed.
// A teacher's reminder (`school_checkin.reminder`) shows a notice here (and a toast anywhere,
// see checkin-common.js); the section notices the window opening or closing by itself.
//
// Teachers: "Check-in today": for each of my classes and each form that applies today, who
// has checked in (with the values) and who has not, and "Remind the rest" (how many were
// reminded; the server allows one reminder per class per ten minutes). Live on
// `school_checkin.submitted`.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, uid, debounce, formError, showError, busy, toast } from "../../ui.js";
import { orgTimezone } from "../../state.js";
import { addHomeSection } from "./home.js";
import { className } from "./common.js";
import { REMINDER_EVENT, SUBMITTED_EVENT, appliesToday, fieldInputs, install as installCommon, openNow, schoolNow, timeOf, valuesList, windowText } from "./checkin-common.js";

const live = new WeakMap(); // ctx → {family, blocks}

function wire(ctx) {
  if (live.has(ctx)) return live.get(ctx);
  const state = { family: null, blocks: new Map() };
  live.set(ctx, state);
  ctx.on(REMINDER_EVENT, (frame) => {
    if (!ctx.isCurrent() || !state.family?.el.isConnected) return;
    state.family.reminded(frame?.data || {});
  });
  ctx.on(SUBMITTED_EVENT, (frame) => {
    const d = frame?.data || {};
    const block = state.blocks.get(`${d.form_id}:${d.class_id}`);
    if (block && block.el.isConnected && ctx.isCurrent()) block.refresh();
  });
  return state;
}

function sectionShell(testid, title, ...children) {
  const id = uid("ck-h");
  return h("section", { class: "card school-section ck-section", "aria-labelledby": id, "data-testid": testid }, h("h2", { id }, title), children);
}

/** "(Asia/Shanghai)" after a time, when the reader's own clock is in another zone. */
function zoneNote() {
  const zone = orgTimezone();
  let mine = "";
  try {
    mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    /* unknown */
  }
  return zone && mine && zone !== mine ? ` (${t("checkin.schoolTime", { zone: zone.replace(/_/g, " ") })})` : "";
}

// ---------- guardians ----------

function itemState(item) {
  if (item.entry) return "done";
  if (item.open) return "open";
  return schoolNow().hhmm < item.form.opens_at ? "upcoming" : "closed";
}

const STATE_TAG = { done: "tag-ok", open: "tag-warn", upcoming: "tag-muted", closed: "tag-muted" };

function familyCard(item) {
  const key = `${item.form.id}:${item.student.id}`;
  const titleId = uid("ck-item-h");
  const el = h("li", { class: "ck-item", "data-testid": "checkin-item", "data-form-id": item.form.id, "data-student-id": item.student.id, "aria-labelledby": titleId });
  let editing = false;
  let problem = null;

  function form() {
    const inputs = fieldInputs(item.form.fields, item.entry?.values || {});
    const f = h(
      "form",
      { class: "stack ck-form", novalidate: true, "data-testid": "checkin-form", "aria-label": t("checkin.formFor", { form: item.form.name, name: item.student.name }) },
      inputs.map((i) => i.el),
      formError(),
      h(
        "div",
        { class: "actions" },
        editing ? h("button", { type: "button", class: "btn", "data-testid": "checkin-cancel", onclick: () => ((editing = false), draw()) }, t("common.cancel")) : null,
        h("button", { type: "submit", class: "btn btn-primary", "data-testid": "checkin-submit" }, item.entry ? t("checkin.saveChange") : t("checkin.submit")),
      ),
    );
    f.addEventListener("submit", (e) => {
      e.preventDefault();
      const values = {};
      for (const input of inputs) {
        const v = input.value();
        if (v !== null && v !== undefined) values[input.key] = v;
      }
      busy(f, async () => {
        try {
          const saved = await api.post(`/school/checkin-forms/${encodeURIComponent(item.form.id)}/entries`, { student_id: item.student.id, values });
          item.entry = saved.entry;
          editing = false;
          problem = null;
          draw();
          toast(t("checkin.sent", { name: item.student.name }), { type: "success" });
        } catch (error) {
          if (error.code === "checkin_closed") {
            item.open = false;
            editing = false;
            problem = errorText(error);
            draw();
          } else showError(f, error);
        }
      });
    });
    return f;
  }

  function draw() {
    const state = editing ? "open" : itemState(item);
    el.dataset.state = itemState(item);
    el.toggleAttribute("data-editing", editing);
    const tagText = { done: t("checkin.stateDone"), open: t("checkin.stateOpen"), upcoming: t("checkin.stateUpcoming"), closed: t("checkin.stateClosed") }[itemState(item)];
    let body;
    if (state === "open") body = form();
    else if (state === "done")
      body = [
        h("p", { class: "ck-done", "data-testid": "checkin-done" }, t("checkin.checkedInAt", { time: timeOf(item.entry.submitted_at) })),
        valuesList(item.form.fields, item.entry.values),
        item.open
          ? h("div", { class: "row-actions" }, h("button", { type: "button", class: "btn btn-small", "data-testid": "checkin-change", "aria-label": t("checkin.changeFor", { name: item.student.name }), onclick: () => ((editing = true), draw(), el.querySelector("input, select, textarea")?.focus()) }, t("checkin.change")))
          : null,
      ];
    else if (state === "upcoming") body = h("p", { class: "muted", "data-testid": "checkin-upcoming" }, t("checkin.opensAt", { time: item.form.opens_at }));
    else body = h("p", { class: "muted", "data-testid": "checkin-missed" }, t("checkin.closedAt", { time: item.form.closes_at }));
    clear(
      el,
      h(
        "div",
        { class: "ck-item-head" },
        h("h3", { id: titleId, class: "ck-item-title", "data-testid": "checkin-item-title" }, item.student.name, h("span", { class: "muted" }, " · ", item.form.name)),
        h("span", { class: `tag ${STATE_TAG[itemState(item)]}`, "data-testid": "checkin-state" }, tagText),
      ),
      h("p", { class: "muted small ck-window", "data-testid": "checkin-window" }, t("checkin.window", { window: windowText(item.form) }), zoneNote()),
      problem ? h("p", { class: "notice notice-error", role: "alert" }, problem) : null,
      body,
    );
  }
  draw();
  return { key, el, item, editing: () => editing, draw };
}

async function familySection(ctx, home) {
  if (!home.children.length) return null;
  const state = wire(ctx);
  let items;
  try {
    items = await api.get("/school/checkins/today");
  } catch (error) {
    return sectionShell("school-checkins", t("checkin.todayTitle"), h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
  }
  if (!items.length) return null;
  const notice = h("div", { class: "ck-reminder", role: "status", "aria-live": "polite", "data-testid": "checkin-reminder-notice", hidden: true });
  const list = h("ul", { class: "ck-items", "data-testid": "checkin-items" });
  const el = sectionShell("school-checkins", t("checkin.todayTitle"), notice, list);
  let cards = new Map();

  function draw(next) {
    const fresh = new Map();
    for (const item of next) {
      const key = `${item.form.id}:${item.student.id}`;
      const old = cards.get(key);
      // Someone typing into a form keeps it (the window's state still updates).
      if (old && (old.editing() || old.el.querySelector("form")?.contains(document.activeElement)) && item.open) {
        old.item.open = item.open;
        fresh.set(key, old);
      } else fresh.set(key, familyCard(item));
    }
    cards = fresh;
    clear(list, [...cards.values()].map((c) => c.el));
  }

  async function refresh() {
    try {
      const next = await api.get("/school/checkins/today");
      if (ctx.isCurrent() && el.isConnected) draw(next);
    } catch {
      /* keep what is shown */
    }
  }
  const soon = debounce(refresh, 300);

  draw(items);
  state.family = {
    el,
    reminded(data) {
      clear(notice, t("checkin.reminderNotice", { name: data.name || "", time: data.closes_at || "" }));
      notice.hidden = false;
      soon();
    },
  };
  // The window opens and closes by the school's clock: look every half minute.
  const timer = setInterval(() => {
    if (!ctx.isCurrent() || !el.isConnected) return clearInterval(timer);
    if ([...cards.values()].some((c) => openNow(c.item.form) !== c.item.open)) refresh();
  }, 30000);
  return el;
}

// ---------- teachers ----------

function classBlock(form, schoolClass) {
  const titleId = uid("ck-class-h");
  const count = h("span", { class: "tag", "data-testid": "checkin-count" });
  const lists = h("div", { class: "ck-cols" });
  const remind = h("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "checkin-remind" }, t("checkin.remindRest"));
  const status = h("p", { class: "small ck-remind-status", role: "status", "aria-live": "polite", "data-testid": "checkin-remind-status" });
  const el = h(
    "article",
    { class: "ck-class", "data-testid": "checkin-class", "data-form-id": form.id, "data-class-id": schoolClass.id, "aria-labelledby": titleId },
    h(
      "div",
      { class: "ck-item-head" },
      h("h3", { id: titleId, class: "ck-item-title", "data-testid": "checkin-class-title" }, className(schoolClass), h("span", { class: "muted" }, " · ", form.name)),
      count,
    ),
    h("p", { class: "muted small ck-window" }, t("checkin.window", { window: windowText(form) }), zoneNote()),
    lists,
    h("div", { class: "row-actions ck-remind" }, remind, status),
  );

  function draw(day) {
    const total = day.done.length + day.missing.length;
    count.className = `tag ${total && !day.missing.length ? "tag-ok" : "tag-warn"}`;
    count.textContent = t("checkin.doneCount", { done: day.done.length, total });
    remind.disabled = !day.missing.length;
    remind.setAttribute("aria-label", t("checkin.remindRestOf", { name: className(schoolClass), count: day.missing.length }));
    const doneId = uid("ck-done-h");
    const missingId = uid("ck-missing-h");
    clear(
      lists,
      h(
        "div",
        { class: "ck-col" },
        h("h4", { id: doneId }, t("checkin.doneList", { count: day.done.length })),
        day.done.length
          ? h(
              "ul",
              { class: "ck-people", "aria-labelledby": doneId, "data-testid": "checkin-done-list" },
              day.done.map((s) =>
                h(
                  "li",
                  { class: "ck-person", "data-testid": "checkin-done-row", "data-student-id": s.id },
                  h("div", { class: "ck-person-head" }, h("strong", { "data-testid": "checkin-done-name" }, s.name), h("time", { class: "muted small", datetime: s.entry.submitted_at, "data-testid": "checkin-done-time" }, timeOf(s.entry.submitted_at))),
                  valuesList(form.fields, s.entry.values, "checkin-done-values"),
                ),
              ),
            )
          : h("p", { class: "muted small", "data-testid": "checkin-none-done" }, t("checkin.noneYet")),
      ),
      h(
        "div",
        { class: "ck-col" },
        h("h4", { id: missingId }, t("checkin.missingList", { count: day.missing.length })),
        day.missing.length
          ? h(
              "ul",
              { class: "ck-people ck-missing", "aria-labelledby": missingId, "data-testid": "checkin-missing-list" },
              day.missing.map((s) => h("li", { class: "ck-person", "data-testid": "checkin-missing-row", "data-student-id": s.id }, h("span", { "data-testid": "checkin-missing-name" }, s.name), " ", h("span", { class: "muted small" }, s.student_no))),
            )
          : h("p", { class: "tag tag-ok", "data-testid": "checkin-all-done" }, t("checkin.allDone")),
      ),
    );
  }

  let seq = 0;
  async function refresh() {
    const mine = ++seq;
    try {
      const day = await api.get(`/school/checkin-forms/${encodeURIComponent(form.id)}/classes/${encodeURIComponent(schoolClass.id)}`);
      if (mine === seq) draw(day);
    } catch (error) {
      if (mine === seq) clear(lists, h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
    }
  }
  const soon = debounce(refresh, 250);

  remind.addEventListener("click", async () => {
    remind.disabled = true;
    remind.setAttribute("aria-busy", "true");
    status.classList.remove("ck-remind-error");
    try {
      const result = await api.post(`/school/checkin-forms/${encodeURIComponent(form.id)}/classes/${encodeURIComponent(schoolClass.id)}/remind`);
      const text = [t("checkin.reminded", { count: result.reminded })];
      if (result.missing > result.reminded) text.push(t("checkin.notJoined"));
      status.textContent = text.join(" ");
    } catch (error) {
      status.classList.add("ck-remind-error");
      status.textContent = error.code === "reminded_recently" && error.details?.retry_after ? t("checkin.remindWait", { minutes: Math.max(1, Math.ceil(error.details.retry_after / 60)) }) : errorText(error);
    } finally {
      remind.removeAttribute("aria-busy");
      await refresh();
    }
  });

  return { el, refresh, soon };
}

async function teachSection(ctx, home) {
  if (!home.teaching.length) return null;
  const state = wire(ctx);
  let forms;
  try {
    forms = await api.get("/school/checkin-forms");
  } catch (error) {
    return sectionShell("school-checkins-teach", t("checkin.classTitle"), h("p", { class: "notice notice-error", role: "alert" }, errorText(error)));
  }
  const pairs = [];
  for (const form of forms) for (const c of home.teaching) if (appliesToday(form, c.id)) pairs.push([form, c]);
  if (!pairs.length) return null;
  state.blocks = new Map();
  const blocks = pairs.map(([form, c]) => {
    const block = classBlock(form, c);
    state.blocks.set(`${form.id}:${c.id}`, { el: block.el, refresh: block.soon });
    return block;
  });
  await Promise.all(blocks.map((b) => b.refresh()));
  return sectionShell("school-checkins-teach", t("checkin.classTitle"), h("div", { class: "ck-classes" }, blocks.map((b) => b.el)));
}

export function install() {
  installCommon();
  addHomeSection({ id: "checkins", order: 11, render: familySection });
  addHomeSection({ id: "checkins-teach", order: 22, render: teachSection });
}
