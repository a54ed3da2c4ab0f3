// /approvals (start a request: the form cards), /approvals/{todo,mine,done,cc} (lists) and
// /approvals/balance (my leave balance for a year).

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, loading, emptyState, uid } from "../../ui.js";
import { icon } from "../../icons.js";
import { approvalsFrame, formName, leaveTypeName, formatDays, TABS } from "./common.js";
import { renderList } from "./list.js";

const FORM_ICONS = { leave: "🌴", overtime: "🌙", trip: "✈️", makeup: "⏰", general: "📝" };

async function renderStart(ctx, content) {
  const holder = h("div", {}, loading());
  content.append(holder);
  try {
    const forms = (await api.get("/approvals/forms")).filter((f) => f.enabled);
    if (!ctx.isCurrent()) return;
    if (!forms.length) return clear(holder, emptyState(t("approvals.noForms"), "approvals-empty"));
    clear(
      holder,
      h(
        "ul",
        { class: "form-cards", "data-testid": "approval-forms" },
        forms.map((f) =>
          h(
            "li",
            {},
            h(
              "a",
              { href: `/approvals/new/${encodeURIComponent(f.id)}`, class: "form-card", "data-testid": "approval-form-card", "data-form-id": f.id, "data-builtin": f.builtin || "" },
              h("span", { class: "form-card-icon", "aria-hidden": "true" }, FORM_ICONS[f.builtin] || icon("approvals", 22)),
              h("span", { class: "form-card-name" }, formName(f)),
              f.description ? h("span", { class: "muted small" }, f.description) : null,
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    clear(holder, h("p", { class: "notice notice-error" }, errorText(error)));
  }
}

async function renderBalance(ctx, content) {
  const thisYear = new Date().getFullYear();
  const yearId = uid("year");
  const select = h("select", { id: yearId, "data-testid": "balance-year" }, [thisYear - 1, thisYear, thisYear + 1].map((y) => h("option", { value: y, selected: y === thisYear }, String(y))));
  const holder = h("div", {}, loading());
  content.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "balance-h" },
      h("div", { class: "card-head" }, h("h2", { id: "balance-h" }, t("approvals.myBalance")), h("div", { class: "field inline-field" }, h("label", { for: yearId }, t("approvals.year")), select)),
      holder,
    ),
  );
  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const list = await api.get("/leave/balances", { year: select.value });
      if (mine !== seq || !ctx.isCurrent()) return;
      clear(
        holder,
        h(
          "table",
          { class: "table balance-table", "data-testid": "balance-table" },
          h("thead", {}, h("tr", {}, [t("approvals.leaveType"), t("approvals.quota"), t("approvals.used"), t("approvals.left")].map((x) => h("th", { scope: "col" }, x)))),
          h(
            "tbody",
            {},
            list.map((b) =>
              h(
                "tr",
                { "data-testid": "balance-row", "data-leave-type": b.leave_type },
                h("th", { scope: "row" }, leaveTypeName(b.leave_type)),
                h("td", {}, formatDays(b.quota_days)),
                h("td", {}, formatDays(b.used_days)),
                h("td", { "data-testid": "balance-left" }, h("strong", {}, formatDays(b.left_days))),
              ),
            ),
          ),
        ),
        h("p", { class: "muted small" }, t("approvals.balanceHint")),
      );
    } catch (error) {
      if (mine === seq) clear(holder, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  select.addEventListener("change", load);
  ctx.on("approval.finished", load);
  await load();
}

export async function render(ctx) {
  const path = location.pathname.replace(/\/$/, "");
  const tab = TABS.find((x) => x.path === path)?.id || "start";
  const { content, stop } = approvalsFrame(ctx, tab);
  if (tab === "start") await renderStart(ctx, content);
  else if (tab === "balance") await renderBalance(ctx, content);
  else await renderList(ctx, tab, content);
  return stop;
}
