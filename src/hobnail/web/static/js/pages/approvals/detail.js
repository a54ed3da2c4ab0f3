// /approvals/request/:id — a request: title and status, its values, the steps with each
// approver's state, the timeline with comments; the current approver approves, rejects,
// transfers or adds an approver before/after; the requester withdraws while pending; anyone
// involved comments. Live from approval.updated.

import { api } from "../../api.js";
import { t, errorText, has } from "../../i18n.js";
import { h, clear, toast, avatar, formatDateTime, confirmDialog, loading, uid } from "../../ui.js";
import { user } from "../../state.js";
import { fetchDepartments, buildTree } from "../../depts.js";
import { statusChip, taskStateLabel, fieldLabel, daysText, BUILTIN_KINDS } from "./common.js";
import { valueView } from "./fields.js";
import { requestTitle } from "./list.js";
import { personName, ensurePeople, pickPersonDialog } from "./people.js";

const actionLabel = (a) => (has(`approvals.action.${a}`) ? t(`approvals.action.${a}`) : a);

function stepsView(r) {
  return h(
    "ol",
    { class: "approval-steps", "data-testid": "approval-steps" },
    r.steps.map((s, i) => {
      const tasks = r.tasks.filter((x) => x.step === i);
      const current = r.status === "pending" && i === r.current_step;
      return h(
        "li",
        { class: `approval-step${current ? " current" : ""}`, "data-testid": "approval-step", "data-step": i, "data-status": s.status, "aria-current": current ? "step" : null },
        h(
          "div",
          { class: "approval-step-head" },
          h("strong", {}, s.name),
          " ",
          s.skipped ? h("span", { class: "tag tag-muted" }, t("approvals.skipped")) : h("span", { class: "tag" }, t(s.mode === "all" ? "approvals.modeAll" : "approvals.modeAny")),
        ),
        h(
          "ul",
          { class: "approval-approvers" },
          tasks.map((x) =>
            h(
              "li",
              { "data-testid": "approval-approver", "data-user-id": x.approver_id, "data-status": x.status },
              avatar({ id: x.approver_id, name: personName(x.approver_id) }, "sm"),
              h("span", {}, personName(x.approver_id)),
              h("span", { class: `tag task-${x.status}` }, taskStateLabel(x.status)),
              x.acted_at ? h("time", { class: "muted small", datetime: x.acted_at }, formatDateTime(x.acted_at)) : null,
              x.comment ? h("p", { class: "approval-comment", dir: "auto" }, x.comment) : null,
            ),
          ),
        ),
      );
    }),
  );
}

function timelineView(r) {
  return h(
    "ol",
    { class: "approval-timeline", "data-testid": "approval-timeline" },
    (r.timeline || []).map((a) => {
      const other = a.data?.to || a.data?.user_id;
      return h(
        "li",
        { "data-testid": "approval-activity", "data-action": a.action },
        h("strong", {}, a.actor_id ? personName(a.actor_id) : t("approvals.system")),
        " ",
        h("span", {}, actionLabel(a.action)),
        other ? h("span", {}, " → ", personName(other)) : null,
        " ",
        h("time", { class: "muted small", datetime: a.created_at }, formatDateTime(a.created_at)),
        a.comment ? h("p", { class: "approval-comment", dir: "auto", "data-testid": "approval-activity-comment" }, a.comment) : null,
      );
    }),
  );
}

export async function render(ctx) {
  const id = ctx.params.id;
  const root = h("div", { class: "approval-detail", "data-testid": "approval-detail", "data-request-id": id }, loading());
  ctx.main.append(root);
  const me = user()?.id;
  let r = null;
  let tree = { roots: [], byId: new Map() };
  let seq = 0;

  async function load() {
    const mine = ++seq;
    try {
      const [req, depts] = await Promise.all([api.get(`/approvals/${encodeURIComponent(id)}`), tree.roots.length ? null : fetchDepartments().catch(() => [])]);
      if (depts) tree = buildTree(depts);
      const people = [req.requester_id, ...req.tasks.map((x) => x.approver_id), ...req.cc, ...(req.timeline || []).flatMap((a) => [a.actor_id, a.data?.to, a.data?.user_id])];
      for (const f of req.fields) if (f.type === "people" && Array.isArray(req.values[f.key])) people.push(...req.values[f.key]);
      await ensurePeople(people.filter(Boolean));
      if (mine !== seq || !ctx.isCurrent()) return;
      r = req;
      draw();
    } catch (error) {
      if (mine !== seq || !ctx.isCurrent()) return;
      clear(root, backLink(), h("div", { class: "page-head" }, h("h1", {}, t("nav.approvals"))), h("p", { class: "notice notice-error", "data-testid": "approval-not-found" }, errorText(error)));
    }
  }

  const backLink = () => h("a", { href: r && r.requester_id === me ? "/approvals/mine" : "/approvals/todo", class: "back-link", "data-testid": "approval-back" }, "‹ ", t("nav.approvals"));
  const myTask = () => r.status === "pending" && r.tasks.find((x) => x.approver_id === me && x.step === r.current_step && x.status === "pending");

  async function act(action, body = {}) {
    try {
      r = { ...r, ...(await api.post(`/approvals/${encodeURIComponent(id)}/actions`, { action, ...body })) };
      toast(t(`approvals.done.${action}`), { type: "success" });
      await load();
    } catch (error) {
      toast(errorText(error), { type: "error" });
      await load();
    }
  }

  function actionsBox() {
    const task = myTask();
    const mineRequest = r.requester_id === me;
    if (!task && !(mineRequest && r.status === "pending")) return null;
    const commentId = uid("approval-comment");
    const comment = h("textarea", { id: commentId, rows: 2, maxlength: 2000, "data-testid": "approval-action-comment", placeholder: t("approvals.commentOptional") });
    const text = () => comment.value.trim();
    const button = (label, testid, cls, fn) => h("button", { type: "button", class: `btn ${cls}`, "data-testid": testid, onclick: async (e) => {
      const b = e.currentTarget;
      b.disabled = true;
      try {
        await fn();
      } finally {
        b.disabled = false;
      }
    } }, label);
    const exclude = [me, ...r.tasks.filter((x) => x.step === r.current_step && x.status === "pending").map((x) => x.approver_id)];
    const withPerson = (action, title) => async () => {
      const p = await pickPersonDialog({ title, exclude });
      if (p) await act(action, { user_id: p.id, comment: text() });
    };
    return h(
      "section",
      { class: "card approval-actions", "aria-labelledby": "approval-actions-h", "data-testid": "approval-actions" },
      h("h2", { id: "approval-actions-h" }, task ? t("approvals.yourTurn") : t("approvals.yourRequest")),
      task ? h("div", { class: "field" }, h("label", { for: commentId }, t("approvals.comment")), comment) : null,
      h(
        "div",
        { class: "actions approval-action-row" },
        task ? button(t("approvals.approve"), "approval-approve", "btn-primary", () => act("approve", { comment: text() })) : null,
        task
          ? button(t("approvals.reject"), "approval-reject", "btn-danger-outline", async () => {
              if (!text()) {
                comment.focus();
                return toast(t("approvals.rejectNeedsComment"), { type: "info" });
              }
              await act("reject", { comment: text() });
            })
          : null,
        task ? button(t("approvals.transfer"), "approval-transfer", "", withPerson("transfer", t("approvals.transferTo"))) : null,
        task ? button(t("approvals.addBefore"), "approval-add-before", "", withPerson("add_before", t("approvals.addBefore"))) : null,
        task ? button(t("approvals.addAfter"), "approval-add-after", "", withPerson("add_after", t("approvals.addAfter"))) : null,
        mineRequest && r.status === "pending"
          ? button(t("approvals.withdraw"), "approval-withdraw", "btn-danger-outline", async () => {
              const ok = await confirmDialog({ title: t("approvals.withdraw"), message: t("approvals.withdrawConfirm"), confirmLabel: t("approvals.withdraw"), danger: true });
              if (!ok) return;
              try {
                await api.post(`/approvals/${encodeURIComponent(id)}/withdraw`);
                toast(t("approvals.done.withdraw"), { type: "success" });
              } catch (error) {
                toast(errorText(error), { type: "error" });
              }
              await load();
            })
          : null,
      ),
    );
  }

  function commentForm() {
    const inputId = uid("approval-note");
    const input = h("textarea", { id: inputId, rows: 2, maxlength: 2000, "data-testid": "approval-comment-input", placeholder: t("approvals.commentPlaceholder") });
    const form = h("form", { class: "approval-comment-form", novalidate: true }, h("label", { for: inputId, class: "sr-only" }, t("approvals.comment")), input, h("button", { type: "submit", class: "btn", "data-testid": "approval-comment-send" }, t("approvals.sendComment")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = input.value.trim();
      if (!body) return input.focus();
      const b = form.querySelector("button");
      b.disabled = true;
      try {
        await api.post(`/approvals/${encodeURIComponent(id)}/comments`, { body });
        input.value = "";
        await load();
      } catch (error) {
        toast(errorText(error), { type: "error" });
      } finally {
        b.disabled = false;
      }
    });
    return form;
  }

  function draw() {
    const draft = root.querySelector("[data-testid=approval-comment-input]")?.value || "";
    const decision = root.querySelector("[data-testid=approval-action-comment]")?.value || "";
    const builtin = BUILTIN_KINDS.includes(r.kind) ? r.kind : null;
    clear(
      root,
      backLink(),
      h("div", { class: "page-head approval-head" }, h("h1", { "data-testid": "approval-title" }, requestTitle(r)), statusChip(r.status)),
      h(
        "section",
        { class: "card", "aria-label": t("approvals.details") },
        h("p", { class: "muted small" }, t("approvals.submittedAt", { time: formatDateTime(r.created_at) }), r.finished_at ? ` · ${t("approvals.finishedAt", { time: formatDateTime(r.finished_at) })}` : ""),
        h(
          "dl",
          { class: "kvs approval-values", "data-testid": "approval-values" },
          r.fields.map((f) => h("div", { class: "kv", "data-field": f.key }, h("dt", {}, fieldLabel(f, builtin)), h("dd", { "data-testid": `approval-value-${f.key}` }, valueView(f, r.values[f.key], { builtin, byId: tree.byId })))),
          r.days !== null && r.days !== undefined ? h("div", { class: "kv" }, h("dt", {}, t("approvals.duration")), h("dd", { "data-testid": "approval-days" }, daysText(r.days))) : null,
          r.cc.length ? h("div", { class: "kv" }, h("dt", {}, t("approvals.ccTo")), h("dd", {}, r.cc.map(personName).join(t("common.listSep")))) : null,
        ),
      ),
      actionsBox(),
      h("section", { class: "card", "aria-labelledby": "approval-steps-h" }, h("h2", { id: "approval-steps-h" }, t("approvals.flow")), stepsView(r)),
      h("section", { class: "card", "aria-labelledby": "approval-timeline-h" }, h("h2", { id: "approval-timeline-h" }, t("approvals.timeline")), timelineView(r), commentForm()),
    );
    const input = root.querySelector("[data-testid=approval-comment-input]");
    if (input && draft) input.value = draft;
    const note = root.querySelector("[data-testid=approval-action-comment]");
    if (note && decision) note.value = decision;
  }

  ctx.on("approval.updated", (event) => {
    if (event.data?.request?.id === id) load();
  });
  ctx.on("approval.finished", (event) => {
    if (event.data?.request_id === id) load();
  });
  ctx.on("stream.resync", () => load());
  await load();
}
