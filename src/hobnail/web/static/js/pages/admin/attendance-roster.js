// /admin/attendance/roster: a simple roster for shift groups — people × the next 7 days
// (from a chosen day), each cell a shift, "rest" or nothing. Save sends the changed cells
// (PUT /groups/{id}/roster, all or nothing; past days cannot change).

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, emptyState, toast, uid } from "../../ui.js";
import { personName, ensurePeople } from "../approvals/people.js";
import { formatDay, localDay } from "../attendance/common.js";
import { attendanceFrame } from "./attendance-layout.js";

const DAYS = 7;
const REST = "__rest";

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export async function render(ctx) {
  const content = attendanceFrame(ctx, "roster");
  const groupId = uid("group");
  const fromId = uid("from");
  const groupSelect = h("select", { id: groupId, "data-testid": "roster-group" });
  const fromInput = h("input", { type: "date", id: fromId, value: localDay(), min: localDay(), "data-testid": "roster-from" });
  const box = h("div", { class: "table-wrap" }, loading());
  const saveButton = h("button", { type: "button", class: "btn btn-primary", "data-testid": "roster-save", onclick: () => save() }, t("common.save"));
  content.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "roster-h" },
      h("h2", { id: "roster-h" }, t("attendanceAdmin.roster")),
      h("p", { class: "muted small" }, t("attendanceAdmin.rosterHelp")),
      h("div", { class: "actions roster-tools" }, h("div", { class: "field inline-field" }, h("label", { for: groupId }, t("attendanceAdmin.group")), groupSelect), h("div", { class: "field inline-field" }, h("label", { for: fromId }, t("attendanceAdmin.from")), fromInput)),
      box,
      h("div", { class: "actions" }, saveButton),
    ),
  );

  let groups = [];
  let original = new Map();
  const cells = new Map(); // "user|day" → select

  let shown = "";
  let seq = 0;
  async function loadRoster() {
    const group = groups.find((g) => g.id === groupSelect.value);
    if (!group) return;
    const first = fromInput.value || localDay();
    if (shown === `${group.id}|${first}`) return; // a change event without a change
    shown = `${group.id}|${first}`;
    const mine = ++seq;
    const days = Array.from({ length: DAYS }, (_, i) => addDays(first, i));
    try {
      const roster = await api.get(`/attendance/groups/${encodeURIComponent(group.id)}/roster`, { first, last: days[DAYS - 1] });
      await ensurePeople(roster.user_ids);
      if (mine !== seq || !ctx.isCurrent()) return;
      original = new Map(roster.entries.map((e) => [`${e.user_id}|${e.day}`, e.shift_id ?? REST]));
      cells.clear();
      const shifts = group.rules?.shifts || [];
      if (!roster.user_ids.length) return clear(box, emptyState(t("attendanceAdmin.rosterNobody"), "roster-empty"));
      clear(
        box,
        h(
          "table",
          { class: "table table-compact roster-table", "data-testid": "roster-table" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("attendanceAdmin.col.name")), days.map((d) => h("th", { scope: "col" }, formatDay(d))))),
          h(
            "tbody",
            {},
            roster.user_ids.map((u) =>
              h(
                "tr",
                { "data-testid": "roster-row", "data-user-id": u },
                h("th", { scope: "row" }, personName(u)),
                days.map((d) => {
                  const key = `${u}|${d}`;
                  const select = h(
                    "select",
                    { "aria-label": `${personName(u)} · ${formatDay(d)}`, "data-testid": "roster-cell", "data-day": d },
                    h("option", { value: "" }, "—"),
                    h("option", { value: REST }, t("attendanceAdmin.rest")),
                    shifts.map((s) => h("option", { value: s.id }, `${s.name} ${s.start}–${s.end}`)),
                  );
                  select.value = original.get(key) || "";
                  cells.set(key, select);
                  return h("td", {}, select);
                }),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      shown = "";
      if (mine === seq) clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }

  async function save() {
    const entries = [];
    for (const [key, select] of cells) {
      if (!select.value || select.value === (original.get(key) || "")) continue;
      const [user_id, day] = key.split("|");
      entries.push({ user_id, day, shift_id: select.value === REST ? null : select.value });
    }
    if (!entries.length) return toast(t("attendanceAdmin.rosterNothing"), { type: "info" });
    saveButton.disabled = true;
    try {
      await api.put(`/attendance/groups/${encodeURIComponent(groupSelect.value)}/roster`, { entries });
      toast(t("common.saved"), { type: "success" });
      shown = "";
      await loadRoster();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    } finally {
      saveButton.disabled = false;
    }
  }

  try {
    groups = (await api.get("/attendance/groups")).filter((g) => g.rules?.kind === "shift");
  } catch (error) {
    return clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
  }
  if (!ctx.isCurrent()) return;
  if (!groups.length) {
    saveButton.hidden = true;
    return clear(box, emptyState(t("attendanceAdmin.rosterNoGroups"), "roster-no-groups"));
  }
  clear(groupSelect, groups.map((g) => h("option", { value: g.id }, g.name)));
  groupSelect.addEventListener("change", loadRoster);
  fromInput.addEventListener("change", loadRoster);
  await loadRoster();
}
