// /reports — the Write tab: the templates to write (daily, weekly, monthly and the
// organisation's own) and my drafts (continue, delete). Live: a draft submitted elsewhere
// leaves the list.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, emptyState, formatDateTime, confirmDialog, toast } from "../../ui.js";
import { icon } from "../../icons.js";
import { reportsFrame, templateName, periodText, excerpt } from "./common.js";

const TEMPLATE_ICONS = { daily: "📝", weekly: "🗓️", monthly: "📅" };

function templateCards(templates) {
  if (!templates.length) return emptyState(t("reports.noTemplates"), "report-templates-empty");
  return h(
    "ul",
    { class: "form-cards", "data-testid": "report-templates" },
    templates.map((tpl) =>
      h(
        "li",
        {},
        h(
          "a",
          { href: `/reports/write/${encodeURIComponent(tpl.id)}`, class: "form-card", "data-testid": "report-template-card", "data-template-id": tpl.id, "data-builtin": tpl.builtin || "" },
          h("span", { class: "form-card-icon", "aria-hidden": "true" }, TEMPLATE_ICONS[tpl.builtin] || icon("reports", 22)),
          h("span", { class: "form-card-name" }, templateName(tpl)),
          tpl.description ? h("span", { class: "muted small" }, tpl.description) : null,
        ),
      ),
    ),
  );
}

export async function render(ctx) {
  const { content, stop } = reportsFrame(ctx, "write");
  const cards = h("div", {}, loading());
  const drafts = h("div", { "aria-live": "polite" }, loading());
  content.append(
    h("section", { class: "card", "aria-labelledby": "rpt-write-h" }, h("h2", { id: "rpt-write-h" }, t("reports.chooseTemplate")), cards),
    h("section", { class: "card", "aria-labelledby": "rpt-drafts-h" }, h("h2", { id: "rpt-drafts-h" }, t("reports.drafts")), drafts),
  );
  let templates = [];

  async function remove(report) {
    const ok = await confirmDialog({ title: t("reports.deleteDraft"), message: t("reports.deleteDraftConfirm"), confirmLabel: t("common.delete"), danger: true });
    if (!ok) return;
    try {
      await api.del(`/reports/${encodeURIComponent(report.id)}`);
      toast(t("reports.draftDeleted"), { type: "success" });
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
    await loadDrafts();
  }

  let seq = 0;
  async function loadDrafts() {
    const mine = ++seq;
    try {
      const list = await api.get("/reports", { box: "drafts" });
      if (mine !== seq || !ctx.isCurrent()) return;
      if (!list.length) return clear(drafts, emptyState(t("reports.noDrafts"), "report-drafts-empty"));
      const byId = new Map(templates.map((x) => [x.id, x]));
      clear(
        drafts,
        h(
          "ul",
          { class: "rpt-list", "data-testid": "report-drafts" },
          list.map((r) => {
            const tpl = byId.get(r.template_id);
            return h(
              "li",
              { class: "rpt-item", "data-testid": "report-draft", "data-report-id": r.id },
              h(
                "div",
                { class: "rpt-item-main" },
                h("strong", {}, templateName(tpl) || t("nav.reports"), " · ", periodText(tpl?.rules?.period, r.period_key)),
                h("span", { class: "muted small" }, t("reports.savedAt", { time: formatDateTime(r.edited_at || r.created_at) })),
                excerpt(r) ? h("span", { class: "rpt-excerpt", dir: "auto" }, excerpt(r)) : null,
              ),
              h(
                "div",
                { class: "rpt-item-actions" },
                h("a", { href: `/reports/edit/${encodeURIComponent(r.id)}`, class: "btn btn-small", "data-testid": "report-draft-continue" }, t("reports.continue")),
                h("button", { type: "button", class: "btn btn-small btn-danger-outline", "data-testid": "report-draft-delete", onclick: () => remove(r) }, t("common.delete")),
              ),
            );
          }),
        ),
      );
    } catch (error) {
      if (mine === seq) clear(drafts, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }

  try {
    templates = (await api.get("/report-templates")).filter((x) => x.enabled);
    if (!ctx.isCurrent()) return stop;
    clear(cards, templateCards(templates));
  } catch (error) {
    clear(cards, h("p", { class: "notice notice-error" }, errorText(error)));
  }
  ctx.on("report.submitted", () => loadDrafts());
  await loadDrafts();
  return stop;
}
