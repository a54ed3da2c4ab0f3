// /admin/invitations: create invitation links/codes, turn them off; approve or reject join requests.

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, field, formError, formValues, showError, busy, toast, confirmDialog, debounce, emptyState, copyField, copyText, formatDateTime } from "../../ui.js";
import { buildTree, departmentOptions, pathName } from "../../depts.js";
import { refreshPendingCount } from "../../app.js";
import { adminFrame } from "./layout.js";

export async function render(ctx) {
  const content = adminFrame(ctx, "invitations");
  let tree = buildTree(await api.get("/departments"));

  const requestsBox = h("div", { "data-testid": "join-requests" });
  const createdBox = h("div", { class: "invite-result", "data-testid": "invitation-created", "aria-live": "polite" });
  const listBox = h("div", { "data-testid": "invitation-list" });

  const form = h(
    "form",
    { class: "inline-form", novalidate: true, "data-testid": "invitation-form" },
    field({ label: t("invitations.daysValid"), name: "days_valid", type: "number", value: "7", testid: "invitation-days", attrs: { min: "1", max: "365", inputmode: "numeric" } }),
    field({ label: t("invitations.department"), name: "department_id", type: "select", value: "", options: departmentOptions(tree.roots, { emptyLabel: t("invitations.anyDepartment") }), testid: "invitation-department" }),
    h("div", { class: "field field-button" }, h("button", { type: "submit", class: "btn btn-primary", "data-testid": "invitation-create" }, t("invitations.create"))),
    formError(),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(form);
    busy(form, async () => {
      try {
        const inv = await api.post("/invitations", { days_valid: Number(v.days_valid) || 7, department_id: v.department_id || null });
        clear(
          createdBox,
          h("h3", {}, t("invitations.createdTitle")),
          copyField({ label: t("invitations.link"), value: absoluteUrl(inv.url), testid: "invitation-url" }),
          copyField({ label: t("invitations.code"), value: inv.code, testid: "invitation-code" }),
          h("p", { class: "hint" }, t("invitations.expires", { date: formatDateTime(inv.expires_at) })),
        );
        loadInvitations();
      } catch (error) {
        showError(form, error);
      }
    });
  });

  content.append(
    h("section", { class: "card" }, h("h2", {}, t("joinRequests.title")), requestsBox),
    h("section", { class: "card" }, h("h2", {}, t("invitations.new")), h("p", { class: "muted" }, t("invitations.help")), form, createdBox),
    h("section", { class: "card" }, h("h2", {}, t("invitations.title")), listBox),
  );

  function absoluteUrl(url) {
    try {
      return new URL(url, location.origin).href;
    } catch {
      return url;
    }
  }

  async function loadInvitations() {
    try {
      const list = await api.get("/invitations");
      if (!list.length) return clear(listBox, emptyState(t("invitations.empty"), "invitations-empty"));
      clear(
        listBox,
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "table" },
            h("caption", { class: "sr-only" }, t("invitations.title")),
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("invitations.code")), h("th", { scope: "col", class: "hide-sm" }, t("invitations.department")), h("th", { scope: "col" }, t("invitations.expiresCol")), h("th", { scope: "col" }, t("invitations.state")), h("th", { scope: "col" }, h("span", { class: "sr-only" }, t("common.actions"))))),
            h(
              "tbody",
              {},
              list.map((inv) =>
                h(
                  "tr",
                  { "data-testid": "invitation-row", "data-invitation-id": inv.id },
                  h("td", {}, h("code", {}, inv.code)),
                  h("td", { class: "hide-sm" }, inv.department_id ? pathName(tree.byId, inv.department_id) : t("invitations.anyDepartment")),
                  h("td", {}, formatDateTime(inv.expires_at)),
                  h("td", {}, h("span", { class: `tag ${inv.active ? "tag-ok" : "tag-muted"}`, "data-testid": "invitation-state" }, inv.active ? t("invitations.active") : t("invitations.inactive"))),
                  h(
                    "td",
                    { class: "cell-actions" },
                    inv.active
                      ? h("button", { type: "button", class: "btn btn-small", "aria-label": `${t("common.copy")}: ${t("invitations.link")} ${inv.code}`, "data-testid": "invitation-copy-link", onclick: () => copyText(absoluteUrl(inv.url)) }, t("invitations.copyLink"))
                      : null,
                    inv.active
                      ? h("button", { type: "button", class: "btn btn-small btn-danger-outline", "aria-label": t("invitations.disableOf", { code: inv.code }), "data-testid": "invitation-disable", onclick: () => disable(inv) }, t("invitations.disable"))
                      : null,
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  async function disable(inv) {
    const ok = await confirmDialog({ title: t("invitations.disable"), message: t("invitations.disableConfirm", { code: inv.code }), confirmLabel: t("invitations.disable"), danger: true });
    if (!ok) return;
    try {
      await api.del(`/invitations/${inv.id}`);
      toast(t("invitations.disabled"), { type: "success" });
      loadInvitations();
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  async function loadRequests() {
    try {
      const list = await api.get("/join-requests", { status: "pending" });
      if (!list.length) return clear(requestsBox, emptyState(t("joinRequests.empty"), "join-requests-empty"));
      clear(
        requestsBox,
        h(
          "ul",
          { class: "request-list" },
          list.map((r) =>
            h(
              "li",
              { class: "request", "data-testid": "join-request", "data-request-id": r.id },
              h("div", { class: "request-main" }, h("strong", {}, r.name), h("span", { class: "muted" }, [r.phone, r.email].filter(Boolean).join(" · ")), h("span", { class: "muted small" }, formatDateTime(r.created_at))),
              h(
                "div",
                { class: "row-actions" },
                h("button", { type: "button", class: "btn btn-small", "aria-label": t("joinRequests.rejectOf", { name: r.name }), "data-testid": "join-reject", onclick: () => decide(r, "reject") }, t("joinRequests.reject")),
                h("button", { type: "button", class: "btn btn-small btn-primary", "aria-label": t("joinRequests.approveOf", { name: r.name }), "data-testid": "join-approve", onclick: () => decide(r, "approve") }, t("joinRequests.approve")),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
  }

  async function decide(r, action) {
    try {
      await api.post(`/join-requests/${r.id}/${action}`);
      toast(t(action === "approve" ? "joinRequests.approved" : "joinRequests.rejected", { name: r.name }), { type: "success" });
      loadRequests();
      refreshPendingCount();
    } catch (error) {
      toast(errorText(error), { type: "error" });
      loadRequests();
    }
  }

  await Promise.all([loadRequests(), loadInvitations()]);
  const reloadRequests = debounce(loadRequests, 200);
  ctx.on("join_request.created", reloadRequests);
  ctx.on("join_request.decided", reloadRequests);
  ctx.on("department.created", async () => (tree = buildTree(await api.get("/departments"))));
}
