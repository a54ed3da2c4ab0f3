// /reports/view/:id — a report: who wrote it for which period, its fields and files, who
// has read it (author and admins), likes and comments. A recipient opening it marks it
// read (POST …/read; a GET never writes). Live from report.* events about this report.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, toast, avatar, formatDateTime, loading, uid } from "../../ui.js";
import { user } from "../../state.js";
import { templateName, fieldLabel, periodText, refreshUnread } from "./common.js";
import { valueView } from "./fields.js";

function readsView(r) {
  if (!r.reads) return null;
  return h(
    "section",
    { class: "card", "aria-labelledby": "rpt-reads-h" },
    h("h2", { id: "rpt-reads-h" }, t("reports.readCount", { read: r.read_count, total: r.recipient_count })),
    r.reads.length
      ? h(
          "ul",
          { class: "rpt-reads-list", "data-testid": "report-reads" },
          r.reads.map((x) =>
            h(
              "li",
              { "data-testid": "report-reader", "data-user-id": x.user_id, "data-read": x.read_at ? "true" : "false" },
              avatar({ id: x.user_id, name: x.name }, "sm"),
              h("span", {}, x.name),
              x.read_at ? h("span", { class: "tag tag-ok" }, t("reports.readAt", { time: formatDateTime(x.read_at) })) : h("span", { class: "tag tag-muted" }, t("reports.notRead")),
            ),
          ),
        )
      : h("p", { class: "muted small" }, t("reports.noRecipients")),
  );
}

function commentsView(r) {
  return h(
    "ol",
    { class: "approval-timeline", "data-testid": "report-comments" },
    r.comments.map((c) =>
      h(
        "li",
        { "data-testid": "report-comment", "data-comment-id": c.id },
        h("strong", {}, c.author_name),
        " ",
        h("time", { class: "muted small", datetime: c.created_at }, formatDateTime(c.created_at)),
        h("p", { class: "approval-comment pre-wrap", dir: "auto", "data-testid": "report-comment-body" }, c.body),
      ),
    ),
  );
}

export async function render(ctx) {
  const id = ctx.params.id;
  const root = h("div", { class: "rpt-detail", "data-testid": "report-detail", "data-report-id": id }, loading());
  ctx.main.append(root);
  const me = user()?.id;
  let r = null;
  let templates = null;
  let seq = 0;
  let marking = false;

  async function load() {
    const mine = ++seq;
    try {
      const [report, tpls] = await Promise.all([api.get(`/reports/${encodeURIComponent(id)}`), templates ? null : api.get("/report-templates").catch(() => [])]);
      if (tpls) templates = tpls;
      let shown = report;
      if (report.read_by_me === false && !marking) {
        marking = true;
        try {
          shown = await api.post(`/reports/${encodeURIComponent(id)}/read`);
          refreshUnread();
        } finally {
          marking = false;
        }
      }
      if (mine !== seq || !ctx.isCurrent()) return;
      r = shown;
      draw();
    } catch (error) {
      if (mine !== seq || !ctx.isCurrent()) return;
      clear(root, backLink(), h("div", { class: "page-head" }, h("h1", {}, t("nav.reports"))), h("p", { class: "notice notice-error", "data-testid": "report-not-found" }, errorText(error)));
    }
  }

  const backLink = () => h("a", { href: r && r.author_id === me ? "/reports/sent" : "/reports/received", class: "back-link", "data-testid": "report-back" }, "‹ ", t("nav.reports"));

  async function toggleLike(button) {
    const liked = r.likes.includes(me);
    button.disabled = true;
    try {
      r = liked ? await api.del(`/reports/${encodeURIComponent(id)}/like`) : await api.put(`/reports/${encodeURIComponent(id)}/like`);
      draw();
    } catch (error) {
      toast(errorText(error), { type: "error" });
      button.disabled = false;
    }
  }

  function commentForm() {
    const inputId = uid("rpt-comment");
    const input = h("textarea", { id: inputId, rows: 2, maxlength: 2000, "data-testid": "report-comment-input", placeholder: t("reports.commentPlaceholder") });
    const form = h("form", { class: "approval-comment-form", novalidate: true }, h("label", { for: inputId, class: "sr-only" }, t("reports.comment")), input, h("button", { type: "submit", class: "btn", "data-testid": "report-comment-send" }, t("reports.sendComment")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = input.value.trim();
      if (!body) return input.focus();
      const b = form.querySelector("button");
      b.disabled = true;
      try {
        r = await api.post(`/reports/${encodeURIComponent(id)}/comments`, { body });
        input.value = "";
        draw();
      } catch (error) {
        toast(errorText(error), { type: "error" });
      } finally {
        b.disabled = false;
      }
    });
    return form;
  }

  function draw() {
    const draft = root.querySelector("[data-testid=report-comment-input]")?.value || "";
    const tpl = (templates || []).find((x) => x.id === r.template_id);
    const builtin = tpl?.builtin || null;
    const liked = r.likes.includes(me);
    const mine = r.author_id === me;
    clear(
      root,
      backLink(),
      h(
        "div",
        { class: "page-head approval-head" },
        h("h1", { "data-testid": "report-title" }, t("reports.title", { name: r.author_name, template: templateName(tpl) || t("nav.reports") })),
        r.status === "draft" ? h("span", { class: "tag tag-muted", "data-testid": "report-draft-tag" }, t("reports.draft")) : null,
        r.late ? h("span", { class: "tag tag-warn", "data-testid": "report-late" }, t("reports.late")) : null,
      ),
      h(
        "section",
        { class: "card", "aria-label": t("reports.details") },
        h(
          "p",
          { class: "muted small" },
          periodText(tpl?.rules?.period, r.period_key),
          r.submitted_at ? ` · ${t("reports.submittedAt", { time: formatDateTime(r.submitted_at) })}` : "",
          r.edited_at ? ` · ${t("reports.editedAt", { time: formatDateTime(r.edited_at) })}` : "",
        ),
        h(
          "dl",
          { class: "kvs approval-values", "data-testid": "report-values" },
          r.fields.map((f) => h("div", { class: "kv", "data-field": f.key }, h("dt", {}, fieldLabel(f, builtin)), h("dd", { "data-testid": `report-value-${f.key}` }, valueView(f, r.values[f.key])))),
        ),
        h(
          "div",
          { class: "actions rpt-detail-actions" },
          r.status === "submitted"
            ? h(
                "button",
                { type: "button", class: `btn btn-small${liked ? " btn-primary" : ""}`, "aria-pressed": liked ? "true" : "false", "data-testid": "report-like", onclick: (e) => toggleLike(e.currentTarget) },
                h("span", { "aria-hidden": "true" }, "👍 "),
                t("reports.like"),
                h("span", { "data-testid": "report-like-count" }, ` ${r.likes.length}`),
              )
            : null,
          mine && (r.status === "draft" || r.read_count === 0) ? h("a", { href: `/reports/edit/${encodeURIComponent(r.id)}`, class: "btn btn-small", "data-testid": "report-edit" }, t("common.edit")) : null,
        ),
      ),
      readsView(r),
      r.status === "submitted"
        ? h(
            "section",
            { class: "card", "aria-labelledby": "rpt-comments-h" },
            h("h2", { id: "rpt-comments-h" }, t("reports.comments")),
            r.comments.length ? commentsView(r) : h("p", { class: "muted small", "data-testid": "report-no-comments" }, t("reports.noComments")),
            commentForm(),
          )
        : null,
    );
    const input = root.querySelector("[data-testid=report-comment-input]");
    if (input && draft) input.value = draft;
  }

  const about = (event) => {
    const data = event.data || {};
    if ((data.report && data.report.id === id) || data.report_id === id) load();
  };
  for (const type of ["report.submitted", "report.read", "report.commented", "report.liked"]) ctx.on(type, about);
  ctx.on("stream.resync", () => load());
  await load();
}
