// Choosing people for approvals: an inline picker (search the directory, chosen people as
// removable chips) for form fields and flow steps, and a dialog to pick one person
// (transfer, add an approver). Names of ids come from the messaging people cache.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, avatar, debounce, dialog, uid } from "../../ui.js";
import { icon } from "../../icons.js";
import { rememberPeople, personName, ensurePeople } from "../messages/store.js";

export { personName, ensurePeople };

async function searchMembers(q) {
  const page = await api.get("/members", { q: q || undefined, limit: 20 });
  const found = page.items.filter((m) => m.status !== "deactivated");
  rememberPeople(found);
  return found;
}

function resultRow(m, { testid, onPick, checked }) {
  return h(
    "li",
    {},
    h(
      "button",
      { type: "button", class: `pick-person${checked ? " picked" : ""}`, "data-testid": testid, "data-member-id": m.id, "aria-pressed": checked ? "true" : "false", onclick: () => onPick(m) },
      avatar(m, "sm"),
      h("span", { class: "member-main" }, h("span", { class: "member-name" }, m.name), m.title ? h("span", { class: "member-sub" }, m.title) : null),
    ),
  );
}

/**
 * An inline people chooser. name: the search input's name (so server errors for that field
 * land here). Returns {el, ids(), set(ids)}.
 */
export function peoplePicker({ name, label, required = false, initial = [], single = false, testid = "people-picker", hint = null, onChange = () => {} }) {
  const chosen = new Map(initial.map((id) => [id, { id, name: personName(id) }]));
  const id = uid("people");
  const errorId = `${id}-error`;
  const chips = h("div", { class: "chips", "data-testid": `${testid}-chosen`, "aria-live": "polite" });
  const input = h("input", { id, type: "search", name, autocomplete: "off", placeholder: t("contacts.searchPlaceholder"), "data-testid": `${testid}-search`, "aria-describedby": errorId });
  const results = h("ul", { class: "pick-results", "data-testid": `${testid}-results`, hidden: true });
  let seq = 0;

  function drawChips() {
    clear(
      chips,
      [...chosen.values()].map((p) =>
        h("button", { type: "button", class: "chip", "data-testid": `${testid}-chip`, "data-member-id": p.id, "aria-label": t("messages.unselect", { name: p.name }), onclick: () => toggle(p) }, p.name, h("span", { "aria-hidden": "true" }, " ×")),
      ),
    );
  }
  function toggle(m) {
    if (chosen.has(m.id)) chosen.delete(m.id);
    else {
      if (single) chosen.clear();
      chosen.set(m.id, { id: m.id, name: m.name });
    }
    drawChips();
    if (single) {
      input.value = "";
      results.hidden = true;
    } else search();
    onChange([...chosen.keys()]);
  }
  async function search() {
    const mine = ++seq;
    const q = input.value.trim();
    if (!q) {
      results.hidden = true;
      return;
    }
    try {
      const found = await searchMembers(q);
      if (mine !== seq) return;
      results.hidden = false;
      clear(results, found.length ? found.map((m) => resultRow(m, { testid: `${testid}-option`, onPick: toggle, checked: chosen.has(m.id) })) : h("li", { class: "muted small" }, t("contacts.noResults")));
    } catch (error) {
      if (mine === seq) clear(results, h("li", { class: "notice notice-error" }, errorText(error)));
    }
  }
  input.addEventListener("input", debounce(search, 200));
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") e.preventDefault();
  });
  ensurePeople(initial).then(() => {
    for (const p of chosen.values()) p.name = personName(p.id);
    drawChips();
  });
  drawChips();
  const el = h(
    "div",
    { class: "field people-field", "data-testid": testid },
    h("label", { for: id }, label, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    chips,
    h("div", { class: "search" }, icon("search", 18), input),
    results,
    hint ? h("p", { class: "hint" }, hint) : null,
    h("p", { class: "field-error", id: errorId }),
  );
  return {
    el,
    ids: () => [...chosen.keys()],
    set(ids) {
      chosen.clear();
      ids.forEach((i) => chosen.set(i, { id: i, name: personName(i) }));
      drawChips();
    },
  };
}

/** A dialog to choose one person (not one of `exclude`). Resolves with the member or null. */
export function pickPersonDialog({ title, exclude = [], testid = "pick-person-dialog" }) {
  let picked = null;
  const d = dialog({
    title,
    testid,
    content: (close) => {
      const id = uid("pick");
      const input = h("input", { id, type: "search", autocomplete: "off", placeholder: t("contacts.searchPlaceholder"), "data-testid": "pick-person-search" });
      const list = h("ul", { class: "pick-results", "data-testid": "pick-person-results" });
      let seq = 0;
      const run = async () => {
        const mine = ++seq;
        try {
          const found = (await searchMembers(input.value.trim())).filter((m) => !exclude.includes(m.id));
          if (mine !== seq) return;
          clear(list, found.length ? found.map((m) => resultRow(m, { testid: "pick-person-option", onPick: (p) => ((picked = p), close(p)) })) : h("li", { class: "muted small" }, t("contacts.noResults")));
        } catch (error) {
          if (mine === seq) clear(list, h("li", { class: "notice notice-error" }, errorText(error)));
        }
      };
      input.addEventListener("input", debounce(run, 200));
      run();
      return h("div", { class: "stack" }, h("div", { class: "search" }, h("label", { for: id, class: "sr-only" }, t("contacts.search")), icon("search", 18), input), list);
    },
  });
  return d.closed.then(() => picked);
}
