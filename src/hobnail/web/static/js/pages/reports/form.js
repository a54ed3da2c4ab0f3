// /reports/write/:templateId (a new report) and /reports/edit/:id (a draft, or a sent
// report nobody has read yet): the template's fields, the period it covers, who gets it
// (the template's defaults — the writer's direct manager, named people, chats — are added
// by the server; the writer adds people and group chats), Save draft / Submit. Server
// errors go next to the field they name, else into the box at the top.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, formError, showError, clearErrors, toast, loading, uid } from "../../ui.js";
import { peoplePicker, personName, ensurePeople } from "../approvals/people.js";
import { localDay, uuid } from "../attendance/common.js";
import { templateName, periodText, refreshUnread } from "./common.js";
import { fieldInput } from "./fields.js";

function mondayOf(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** The period control for a template's period kind → {el, key()} (null key: the server's default). */
function periodInput(period, current) {
  const id = uid("period");
  const monthly = period === "monthly";
  const value = current || (monthly ? localDay().slice(0, 7) : localDay());
  const input = h("input", { id, type: monthly ? "month" : "date", name: "period_key", value, "data-testid": "report-period", class: "rpt-period-input", "aria-describedby": `${id}-error` });
  const label = t(`reports.periodLabel.${period}`);
  const el = h("div", { class: "field rpt-period" }, h("label", { for: id }, label), input, h("p", { class: "field-error", id: `${id}-error` }));
  return { el, key: () => (!input.value ? null : period === "weekly" ? mondayOf(input.value) : input.value) };
}

/** Group chats to post the report in (checkboxes); the template's own chats are always on. */
async function chatChoices(initial, fixed) {
  const box = h("fieldset", { class: "card-lite rpt-chats", "data-testid": "report-chats" }, h("legend", {}, t("reports.postToChats")));
  let groups = [];
  try {
    const list = await api.get("/conversations");
    groups = list.items.filter((c) => c.kind !== "direct" && !c.dissolved);
  } catch (error) {
    box.append(h("p", { class: "notice notice-error" }, errorText(error)));
  }
  if (!groups.length) box.append(h("p", { class: "muted small" }, t("reports.noChats")));
  const chosen = new Set(initial);
  for (const c of groups) {
    const id = uid("chat");
    const locked = fixed.includes(c.id);
    box.append(
      h(
        "div",
        { class: "check" },
        h("input", { type: "checkbox", id, value: c.id, name: "chat_ids", checked: locked || chosen.has(c.id), disabled: locked, "data-testid": "report-chat", "data-conversation-id": c.id }),
        h("label", { for: id }, c.name || t("reports.unnamedChat"), locked ? h("span", { class: "muted small" }, " · ", t("reports.chatByTemplate")) : null),
      ),
    );
  }
  return { el: box, ids: () => [...box.querySelectorAll("input:checked:not(:disabled)")].map((i) => i.value) };
}

export async function render(ctx) {
  const editing = ctx.params.id || null;
  const back = h("a", { href: "/reports", class: "back-link", "data-testid": "report-back" }, "‹ ", t("nav.reports"));
  ctx.main.append(back);
  const holder = h("div", {}, loading());
  ctx.main.append(holder);
  let templates;
  let report = null;
  try {
    [templates, report] = await Promise.all([api.get("/report-templates"), editing ? api.get(`/reports/${encodeURIComponent(editing)}`) : null]);
  } catch (error) {
    clear(holder, h("div", { class: "page-head" }, h("h1", {}, t("nav.reports"))), h("p", { class: "notice notice-error", "data-testid": "report-missing" }, errorText(error)));
    return;
  }
  if (!ctx.isCurrent()) return;
  const templateId = report ? report.template_id : ctx.params.templateId;
  const tpl = templates.find((x) => x.id === templateId);
  if (!tpl || (!report && !tpl.enabled)) {
    clear(holder, h("div", { class: "page-head" }, h("h1", {}, t("nav.reports"))), h("p", { class: "notice notice-error", "data-testid": "report-missing" }, t("reports.templateMissing")));
    return;
  }
  const submitted = report?.status === "submitted";
  if (submitted) back.href = "/reports/sent";
  if (submitted && report.read_count > 0) {
    clear(holder, h("div", { class: "page-head" }, h("h1", {}, templateName(tpl))), h("p", { class: "notice", "data-testid": "report-locked" }, t("error.report_already_read")));
    return;
  }
  let draftId = report && !submitted ? report.id : null;
  const clientId = uuid();
  const fields = report ? report.fields : tpl.fields;
  const inputs = fields.map((f) => fieldInput(f, { builtin: tpl.builtin, values: report?.values || {} }));
  const period = tpl.rules.period;
  const periodBox = submitted ? null : periodInput(period, report?.period_key);

  await ensurePeople([...(tpl.recipients.user_ids || []), ...(report?.recipient_ids || [])]);
  if (!ctx.isCurrent()) return;
  let people = null;
  let chats = null;
  let recipientsBox;
  if (submitted) {
    recipientsBox = h("p", { class: "muted", "data-testid": "report-sent-to" }, t("reports.sentTo", { names: report.recipient_ids.map(personName).join(t("common.listSep")) || "—" }));
  } else {
    people = peoplePicker({ name: "recipient_ids", label: t("reports.addPeople"), initial: report?.recipient_ids || [], testid: "report-recipients" });
    chats = await chatChoices(report?.chat_ids || [], tpl.recipients.chat_ids || []);
    if (!ctx.isCurrent()) return;
    const defaults = (tpl.recipients.user_ids || []).map(personName);
    recipientsBox = h(
      "fieldset",
      { class: "card-lite rpt-recipients", "data-testid": "report-recipients-box" },
      h("legend", {}, t("reports.recipients")),
      tpl.recipients.manager ? h("p", { class: "notice", "data-testid": "report-to-manager" }, t("reports.toManager")) : null,
      defaults.length ? h("p", { class: "muted small", "data-testid": "report-default-people" }, t("reports.alsoTo", { names: defaults.join(t("common.listSep")) })) : null,
      people.el,
      chats.el,
    );
  }
  const status = h("p", { class: "sr-only", role: "status", "data-testid": "report-status" });
  const draftButton = submitted ? null : h("button", { type: "button", class: "btn", "data-testid": "report-save-draft" }, t("reports.saveDraft"));
  const el = h(
    "form",
    { class: "card stack approval-form rpt-form", novalidate: true, "data-testid": "report-form", "data-template-id": tpl.id, "data-builtin": tpl.builtin || "" },
    formError(),
    periodBox ? periodBox.el : h("p", { class: "muted" }, periodText(period, report.period_key)),
    inputs.map((i) => i.el),
    recipientsBox,
    status,
    h("div", { class: "actions rpt-actions" }, draftButton, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "report-submit" }, submitted ? t("reports.saveChanges") : t("reports.submit"))),
  );
  clear(
    holder,
    h("div", { class: "page-head" }, h("h1", { "data-testid": "report-form-title" }, submitted ? t("reports.editTitle", { name: templateName(tpl) }) : templateName(tpl))),
    tpl.description ? h("p", { class: "muted" }, tpl.description) : null,
    el,
  );

  function values() {
    const out = {};
    for (const i of inputs) {
      const v = i.value();
      if (v !== null) out[i.key] = v;
    }
    return out;
  }

  let working = false;
  async function save(submit) {
    if (working) return;
    clearErrors(el);
    if (inputs.some((i) => i.busy())) return toast(t("approvals.waitUpload"), { type: "info" });
    working = true;
    el.querySelectorAll(".rpt-actions button").forEach((b) => (b.disabled = true));
    try {
      let saved;
      if (submitted) {
        saved = await api.patch(`/reports/${encodeURIComponent(report.id)}`, { values: values() });
      } else {
        const body = { values: values(), period_key: periodBox.key(), recipient_ids: people.ids(), chat_ids: chats.ids(), submit };
        saved = draftId ? await api.patch(`/reports/${encodeURIComponent(draftId)}`, body) : await api.post("/reports", { template_id: tpl.id, client_id: clientId, ...body });
      }
      if (submit || submitted) {
        toast(submitted ? t("common.saved") : t("reports.submitted"), { type: "success" });
        refreshUnread();
        ctx.navigate(`/reports/view/${encodeURIComponent(saved.id)}`);
        return;
      }
      draftId = saved.id;
      history.replaceState(null, "", `/reports/edit/${encodeURIComponent(saved.id)}`);
      status.textContent = t("reports.draftSaved");
      toast(t("reports.draftSaved"), { type: "success" });
    } catch (error) {
      showError(el, error);
      if (!error.field) el.querySelector(".form-error")?.scrollIntoView({ block: "nearest" });
    } finally {
      working = false;
      el.querySelectorAll(".rpt-actions button").forEach((b) => (b.disabled = false));
    }
  }
  if (draftButton) draftButton.addEventListener("click", () => save(false));
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    save(true);
  });
}
