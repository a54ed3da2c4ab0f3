// /reports/received (sent to me, unread first; filters by template, person and dates, and
// a search) and /reports/sent (mine, with "N/M read", who has read, and Edit while nobody
// has). Live: report events reload the list.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, emptyState, formatDateTime, avatar, debounce, uid } from "../../ui.js";
import { icon } from "../../icons.js";
import { peoplePicker } from "../approvals/people.js";
import { reportsFrame, templateName, periodText, excerpt } from "./common.js";

/** "2026-12-07" (a day in the browser's zone) → an RFC 3339 instant at its start (+1 day: end). */
function dayStart(iso, plusDays = 0) {
  if (!iso) return undefined;
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

function readProgress(r) {
  const all = r.recipient_count;
  const done = r.read_count;
  const readers = (r.reads || []).filter((x) => x.read_at).map((x) => x.name);
  const waiting = (r.reads || []).filter((x) => !x.read_at).map((x) => x.name);
  return h(
    "div",
    { class: "rpt-reads small" },
    h("span", { class: `tag ${all && done === all ? "tag-ok" : "tag-warn"}`, "data-testid": "report-read-count" }, t("reports.readCount", { read: done, total: all })),
    readers.length ? h("span", { class: "muted", "data-testid": "report-readers" }, " ", t("reports.readBy", { names: readers.join(t("common.listSep")) })) : null,
    waiting.length ? h("span", { class: "muted", "data-testid": "report-unread-by" }, " ", t("reports.unreadBy", { names: waiting.join(t("common.listSep")) })) : null,
  );
}

function item(r, box, byId) {
  const tpl = byId.get(r.template_id);
  const unread = box === "received" && r.read_by_me === false;
  const text = excerpt(r);
  return h(
    "li",
    { class: `rpt-item${unread ? " unread" : ""}`, "data-testid": "report-item", "data-report-id": r.id, "data-read": unread ? "false" : "true" },
    avatar({ id: r.author_id, name: r.author_name }, "md"),
    h(
      "div",
      { class: "rpt-item-main" },
      h(
        "a",
        { href: `/reports/view/${encodeURIComponent(r.id)}`, class: "rpt-item-link", "data-testid": "report-item-link" },
        h("span", { class: "rpt-item-title", "data-testid": "report-item-title" }, box === "received" ? `${r.author_name} · ` : "", templateName(tpl) || t("nav.reports"), " · ", periodText(tpl?.rules?.period, r.period_key)),
        unread ? h("span", { class: "tag tag-danger", "data-testid": "report-unread" }, t("reports.unread")) : null,
        r.late ? h("span", { class: "tag tag-warn", "data-testid": "report-late" }, t("reports.late")) : null,
      ),
      text ? h("span", { class: "rpt-excerpt", dir: "auto" }, text) : null,
      h("time", { class: "muted small", datetime: r.submitted_at }, formatDateTime(r.submitted_at)),
      box === "sent" ? readProgress(r) : null,
      box === "sent" && r.read_count === 0
        ? h("div", { class: "rpt-item-actions" }, h("a", { href: `/reports/edit/${encodeURIComponent(r.id)}`, class: "btn btn-small", "data-testid": "report-edit" }, t("common.edit")))
        : null,
    ),
  );
}

function filterBar(templates, onChange) {
  const tplId = uid("tpl");
  const sinceId = uid("since");
  const untilId = uid("until");
  const qId = uid("q");
  const template = h("select", { id: tplId, "data-testid": "report-filter-template" }, h("option", { value: "" }, t("reports.allTemplates")), templates.map((x) => h("option", { value: x.id }, templateName(x))));
  const since = h("input", { type: "date", id: sinceId, "data-testid": "report-filter-since" });
  const until = h("input", { type: "date", id: untilId, "data-testid": "report-filter-until" });
  const q = h("input", { type: "search", id: qId, autocomplete: "off", placeholder: t("reports.searchPlaceholder"), "data-testid": "report-search" });
  const person = peoplePicker({ name: "author_id", label: t("reports.filterPerson"), single: true, testid: "report-filter-person", onChange: () => onChange() });
  const fire = debounce(onChange, 250);
  template.addEventListener("change", onChange);
  since.addEventListener("change", onChange);
  until.addEventListener("change", onChange);
  q.addEventListener("input", fire);
  q.addEventListener("keydown", (e) => e.key === "Enter" && e.preventDefault());
  const el = h(
    "div",
    { class: "rpt-filters", role: "search", "aria-label": t("reports.filters") },
    h("div", { class: "field" }, h("label", { for: qId }, t("reports.search")), h("div", { class: "search" }, icon("search", 18), q)),
    h("div", { class: "field" }, h("label", { for: tplId }, t("reports.template")), template),
    person.el,
    h("div", { class: "field" }, h("label", { for: sinceId }, t("reports.since")), since),
    h("div", { class: "field" }, h("label", { for: untilId }, t("reports.until")), until),
  );
  return {
    el,
    query: () => ({
      template_id: template.value || undefined,
      author_id: person.ids()[0],
      since: dayStart(since.value),
      until: dayStart(until.value, 1),
      q: q.value.trim() || undefined,
    }),
  };
}

export async function render(ctx) {
  const box = location.pathname.replace(/\/$/, "").endsWith("/sent") ? "sent" : "received";
  const { content, stop } = reportsFrame(ctx, box);
  let templates = [];
  try {
    templates = await api.get("/report-templates");
  } catch {
    templates = [];
  }
  if (!ctx.isCurrent()) return stop;
  const byId = new Map(templates.map((x) => [x.id, x]));
  const holder = h("div", { "aria-live": "polite", "aria-busy": "true" }, loading());
  const filters = box === "received" ? filterBar(templates, () => load()) : null;
  content.append(h("section", { class: "card rpt-list-card", "aria-label": t(box === "sent" ? "reports.tabSent" : "reports.tabReceived") }, filters ? filters.el : null, holder));

  let seq = 0;
  async function load() {
    const mine = ++seq;
    holder.setAttribute("aria-busy", "true");
    try {
      const query = { box: box === "sent" ? "sent" : "inbox", ...(filters ? filters.query() : {}) };
      const list = await api.get("/reports", query);
      if (mine !== seq || !ctx.isCurrent()) return;
      holder.setAttribute("aria-busy", "false");
      const filtered = filters && Object.values(filters.query()).some(Boolean);
      if (!list.length) return clear(holder, emptyState(t(filtered ? "reports.noMatches" : `reports.empty.${box}`), "reports-empty"));
      clear(holder, h("ul", { class: "rpt-list", "data-testid": `reports-list-${box}` }, list.map((r) => item(r, box, byId))));
    } catch (error) {
      if (mine === seq) clear(holder, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  const reload = debounce(load, 150);
  for (const type of ["report.submitted", "report.read", "report.commented", "stream.resync"]) ctx.on(type, reload);
  await load();
  return stop;
}
