// /admin/attendance/review: punches the server flagged (implausible accuracy, impossible
// travel, a new device) waiting for an admin; Accept keeps one, Reject stops it counting.

import { api } from "../../api.js";
import { t, errorText, has } from "../../i18n.js";
import { h, clear, loading, emptyState, toast, formatDateTime, debounce } from "../../ui.js";
import { personName, ensurePeople } from "../approvals/people.js";
import { attendanceFrame } from "./attendance-layout.js";

const flagText = (f) => (has(`attendanceAdmin.flag.${f}`) ? t(`attendanceAdmin.flag.${f}`) : f);

export async function render(ctx) {
  const content = attendanceFrame(ctx, "review");
  const box = h("div", {}, loading());
  content.append(h("section", { class: "card", "aria-labelledby": "review-h" }, h("h2", { id: "review-h" }, t("attendanceAdmin.reviewTitle")), h("p", { class: "muted small" }, t("attendanceAdmin.reviewHelp")), box));

  async function decide(p, decision, row) {
    row.querySelectorAll("button").forEach((b) => (b.disabled = true));
    try {
      await api.post(`/attendance/punches/${encodeURIComponent(p.id)}/review`, { decision });
      toast(t(decision === "accept" ? "attendanceAdmin.accepted" : "attendanceAdmin.rejected"), { type: "success" });
      await load();
    } catch (error) {
      toast(errorText(error), { type: "error" });
      row.querySelectorAll("button").forEach((b) => (b.disabled = false));
    }
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const list = await api.get("/attendance/punches", { review: "pending" });
      await ensurePeople(list.map((p) => p.user_id));
      if (mine !== seq || !ctx.isCurrent()) return;
      if (!list.length) return clear(box, emptyState(t("attendanceAdmin.reviewEmpty"), "review-empty"));
      clear(
        box,
        h(
          "ul",
          { class: "admin-forms", "data-testid": "review-list" },
          list.map((p) => {
            const row = h(
              "li",
              { class: "admin-form-row", "data-testid": "review-item", "data-punch-id": p.id },
              h(
                "div",
                { class: "admin-form-main" },
                h("strong", {}, personName(p.user_id)),
                h("span", { class: "small" }, formatDateTime(p.at), " · ", t(p.kind === "out" ? "attendance.kindOut" : "attendance.kindIn"), " · ", p.place || t(`attendance.where.${p.location_result}`)),
                h("span", { class: "att-flags" }, p.flags.map((f) => h("span", { class: "tag tag-warn", "data-testid": "review-flag", "data-flag": f }, flagText(f)))),
                p.latitude != null ? h("span", { class: "muted small" }, `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}${p.accuracy != null ? ` ± ${Math.round(p.accuracy)} m` : ""}`) : null,
                p.note ? h("span", { class: "small", dir: "auto" }, p.note) : null,
              ),
              h("div", { class: "actions" }),
            );
            row.lastChild.append(
              h("button", { type: "button", class: "btn btn-small btn-primary", "data-testid": "review-accept", onclick: () => decide(p, "accept", row) }, t("attendanceAdmin.accept")),
              h("button", { type: "button", class: "btn btn-small btn-danger", "data-testid": "review-reject", onclick: () => decide(p, "reject", row) }, t("attendanceAdmin.reject")),
            );
            return row;
          }),
        ),
      );
    } catch (error) {
      if (mine === seq) clear(box, h("p", { class: "notice notice-error" }, errorText(error)));
    }
  }
  ctx.on("attendance.punched", debounce(load, 300));
  await load();
}
