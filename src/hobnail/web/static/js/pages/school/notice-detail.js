// /school/notices/:id — one notice (通知).
// Teachers (its author, the classes' teachers, admins): per class who confirmed (and which
// guardian) and who has not, who read it, counts that move live with school_notice.progress,
// and "DING the families who have not confirmed" per class and for all, with the result
// (guardians DINGed, families nobody has joined for).
// Guardians: the text, images and files, the deadline and a large "Confirm (签收)" button
// (one per child when several of mine are on it). Opening the page marks it read; another
// guardian's confirmation shows live (school_notice.confirmed).

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, toast, loading, uid, formatDateTime, confirmDialog } from "../../ui.js";
import { user } from "../../state.js";
import { backLink, relationLabel } from "./common.js";
import { noticeFacts, noticeFiles, confirmedByText, guardianNames, timeEl } from "./notice-common.js";

function percent(done, total) {
  return total ? Math.round((done / total) * 100) : 0;
}

function progressBar(label, done, total, testid) {
  const value = percent(done, total);
  return h(
    "span",
    { class: `sn-bar${total && done >= total ? " done" : ""}`, role: "progressbar", "aria-label": label, "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(value), "aria-valuetext": `${done} / ${total}`, "data-testid": testid },
    h("span", { class: "sn-bar-fill", style: `width:${value}%` }),
  );
}

export async function render(ctx) {
  const id = ctx.params.id;
  const body = h("div", { class: "sn-detail" }, loading());
  const heading = h("h1", { "data-testid": "notice-title" }, t("notice.pageTitle"));
  ctx.main.append(h("div", { class: "sn-page", "data-testid": "notice-page", "data-notice-id": id }, backLink("/school", t("nav.school")), h("div", { class: "page-head" }, heading), body));

  let notice = null;
  let names = { userName: new Map(), roster: new Map() };
  const dingResults = new Map(); // "" (all) | class id → {ok, count, unreachable, error}
  const dinging = new Set();
  const me = user()?.id;

  async function load() {
    let detail;
    try {
      detail = await api.get(`/school/notices/${encodeURIComponent(id)}`);
      if ((detail.my_children || []).some((c) => !c.read_at) && detail.status === "sent") {
        detail = await api.post(`/school/notices/${encodeURIComponent(id)}/read`);
      }
    } catch (error) {
      if (!ctx.isCurrent()) return;
      heading.textContent = t("notice.pageTitle");
      clear(body, h("section", { class: "card" }, h("p", { class: "notice notice-error", role: "alert", "data-testid": error.code === "notice_not_found" ? "notice-not-found" : "notice-error" }, errorText(error))));
      return;
    }
    if (!ctx.isCurrent()) return;
    notice = detail;
    draw();
    if (notice.classes && notice.classes.length && notice.require_confirm) {
      guardianNames(notice.classes).then((found) => {
        if (!ctx.isCurrent()) return;
        names = found;
        draw();
      });
    }
  }

  // ---------- shared ----------

  function contentCard() {
    return h(
      "section",
      { class: "card sn-content", "aria-label": t("notice.content") },
      noticeFacts(notice),
      notice.body ? h("div", { class: "sn-body", dir: "auto", "data-testid": "notice-body" }, notice.body) : null,
      noticeFiles(notice.files),
    );
  }

  // ---------- teachers ----------

  function guardianLabel(family) {
    if (!family.confirmed_by) return t("notice.byGuardian");
    if (family.confirmed_by === me) return t("notice.byYou");
    const guardians = names.roster.get(family.student_id) || [];
    const name = names.userName.get(family.confirmed_by);
    let guardian = name ? guardians.find((g) => g.joined && g.name === name) : null;
    if (!guardian && !name) {
      const joined = guardians.filter((g) => g.joined);
      if (joined.length === 1) guardian = joined[0];
    }
    if (guardian) return guardian.relation ? `${guardian.name} (${relationLabel(guardian.relation)})` : guardian.name;
    return name || t("notice.byGuardian");
  }

  function readTag(family) {
    return family.read_at
      ? h("span", { class: "tag tag-muted", "data-testid": "notice-family-read" }, t("notice.read"))
      : h("span", { class: "tag tag-warn", "data-testid": "notice-family-unread" }, t("notice.unread"));
  }

  function familyItem(family) {
    const confirmed = !!family.confirmed_at;
    return h(
      "li",
      { class: "sn-family", "data-testid": "notice-family", "data-student-id": family.student_id, "data-confirmed": String(confirmed), "data-read": String(!!family.read_at) },
      h("span", { class: "sn-family-name", "data-testid": "notice-family-name" }, family.name),
      notice.require_confirm && confirmed
        ? h("span", { class: "sn-family-by small" }, h("span", { "data-testid": "notice-family-by" }, t("notice.confirmedBy", { name: guardianLabel(family) })), " · ", timeEl(family.confirmed_at, "notice-family-time"))
        : readTag(family),
    );
  }

  function familyList(label, families, testid, emptyText) {
    const headId = uid("sn-list-h");
    return h(
      "div",
      { class: "sn-families", "data-testid": testid },
      h("h3", { id: headId }, label, " ", h("span", { class: "sn-count", "data-testid": `${testid}-count` }, String(families.length))),
      families.length ? h("ul", { "aria-labelledby": headId }, families.map(familyItem)) : h("p", { class: "muted small" }, emptyText),
    );
  }

  function dingResultEl(key) {
    const result = dingResults.get(key);
    const box = h("div", { class: "sn-ding-result", role: "status", "data-testid": "notice-ding-result" });
    if (!result) return box;
    const families = new Map((notice.classes || []).flatMap((c) => c.families.map((f) => [f.student_id, f.name])));
    const unreachable = (result.unreachable || []).map((sid) => families.get(sid) || sid);
    box.classList.add(result.ok ? "ok" : "failed");
    box.append(
      h("p", { "data-testid": result.ok ? "notice-ding-sent" : "notice-ding-error" }, result.ok ? t("notice.dingSent", { count: result.count }) : result.error),
      unreachable.length ? h("p", { class: "small", "data-testid": "notice-ding-unreachable" }, t("notice.dingUnreachable", { names: unreachable.join(t("common.listSep")) })) : null,
      result.ok && result.dingId ? h("a", { class: "link small", href: `/ding/${encodeURIComponent(result.dingId)}`, "data-testid": "notice-ding-link" }, t("notice.dingOpen")) : null,
    );
    return box;
  }

  async function ding(schoolClass) {
    const key = schoolClass ? schoolClass.class_id : "";
    const waiting = schoolClass ? schoolClass.total - schoolClass.confirmed : notice.classes.reduce((n, c) => n + c.total - c.confirmed, 0);
    const ok = await confirmDialog({
      title: t("notice.dingTitle"),
      message: schoolClass ? t("notice.dingClassText", { count: waiting, name: schoolClass.name }) : t("notice.dingAllText", { count: waiting }),
      confirmLabel: t("notice.dingConfirm"),
    });
    if (!ok || !ctx.isCurrent()) return;
    dinging.add(key);
    draw();
    try {
      const result = await api.post(`/school/notices/${encodeURIComponent(id)}/ding`, schoolClass ? { class_id: schoolClass.class_id } : {});
      dingResults.set(key, { ok: true, count: result.guardian_count, unreachable: result.unreachable_student_ids, dingId: result.ding_id });
    } catch (error) {
      dingResults.set(key, { ok: false, error: errorText(error), unreachable: error.details?.unreachable_student_ids || [] });
    } finally {
      dinging.delete(key);
    }
    if (ctx.isCurrent()) draw();
  }

  function dingButton(schoolClass) {
    const key = schoolClass ? schoolClass.class_id : "";
    const waiting = schoolClass ? schoolClass.total - schoolClass.confirmed : notice.classes.reduce((n, c) => n + c.total - c.confirmed, 0);
    if (!notice.require_confirm || notice.status !== "sent") return null;
    return h(
      "button",
      {
        type: "button",
        class: `btn ${schoolClass ? "btn-small" : "btn-primary"} sn-ding`,
        disabled: !waiting || dinging.has(key),
        "aria-busy": dinging.has(key) ? "true" : null,
        "data-testid": schoolClass ? "notice-ding-class" : "notice-ding-all",
        onclick: () => ding(schoolClass),
      },
      schoolClass ? t("notice.dingClass", { name: schoolClass.name }) : t("notice.dingAll"),
    );
  }

  function countsEl(c, testid) {
    return h(
      "div",
      { class: "sn-counts", "data-testid": testid },
      notice.require_confirm
        ? h(
            "div",
            { class: "sn-count-row" },
            h("span", { "data-testid": `${testid}-confirmed` }, t("notice.confirmedCount", { done: c.confirmed, total: c.total })),
            progressBar(t("notice.confirmedLabel"), c.confirmed, c.total, `${testid}-bar`),
          )
        : null,
      h("div", { class: "sn-count-row" }, h("span", { "data-testid": `${testid}-read` }, t("notice.readCount", { done: c.read, total: c.total })), progressBar(t("notice.readLabel"), c.read, c.total, `${testid}-read-bar`)),
    );
  }

  function classCard(c) {
    const headId = uid("sn-class-h");
    const lists = notice.require_confirm
      ? [
          familyList(t("notice.notConfirmed"), c.families.filter((f) => !f.confirmed_at), "notice-unconfirmed", t("notice.everyoneConfirmed")),
          familyList(t("notice.confirmed"), c.families.filter((f) => f.confirmed_at), "notice-confirmed", t("notice.nobodyYet")),
        ]
      : [
          familyList(t("notice.unreadList"), c.families.filter((f) => !f.read_at), "notice-unread", t("notice.everyoneRead")),
          familyList(t("notice.readList"), c.families.filter((f) => f.read_at), "notice-read", t("notice.nobodyYet")),
        ];
    return h(
      "section",
      { class: "card sn-class-card", "aria-labelledby": headId, "data-testid": "notice-class-card", "data-class-id": c.class_id, "data-ding-key": c.class_id },
      h("div", { class: "sn-card-head" }, h("h2", { id: headId }, c.name), dingButton(c)),
      countsEl(c, "notice-class-counts"),
      dingResultEl(c.class_id),
      h("div", { class: "sn-lists" }, lists),
    );
  }

  function summaryCard() {
    const all = notice.classes.reduce((s, c) => ({ total: s.total + c.total, read: s.read + c.read, confirmed: s.confirmed + c.confirmed }), { total: 0, read: 0, confirmed: 0 });
    const headId = uid("sn-sum-h");
    return h(
      "section",
      { class: "card sn-summary", "aria-labelledby": headId, "data-testid": "notice-summary", "data-ding-key": "" },
      h("div", { class: "sn-card-head" }, h("h2", { id: headId }, t("notice.progress")), dingButton(null)),
      h("div", { "aria-live": "polite" }, countsEl(all, "notice-counts")),
      dingResultEl(""),
    );
  }

  // ---------- guardians ----------

  async function confirm(studentIds, button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try {
      notice = await api.post(`/school/notices/${encodeURIComponent(id)}/confirm`, studentIds ? { student_ids: studentIds } : {});
      toast(t("notice.confirmedToast"), { type: "success" });
    } catch (error) {
      toast(errorText(error), { type: "error" });
    }
    if (ctx.isCurrent()) {
      draw();
      body.querySelector("[data-testid=notice-child-state]")?.focus();
    }
  }

  function childrenCard() {
    const mine = notice.my_children || [];
    if (!mine.length) return null;
    const single = mine.length === 1;
    const headId = uid("sn-kids-h");
    return h(
      "section",
      { class: "card sn-children", "aria-labelledby": headId, "data-testid": "notice-children" },
      h("h2", { id: headId }, notice.require_confirm ? t("notice.confirmTitle") : t("notice.myChildren")),
      h(
        "ul",
        { class: "sn-child-list" },
        mine.map((child) => {
          const confirmed = !!child.confirmed_at;
          let action = null;
          if (notice.require_confirm && confirmed) {
            action = h(
              "p",
              { class: "sn-child-done", tabindex: "-1", "data-testid": "notice-child-state" },
              h("span", { "aria-hidden": "true" }, "✓ "),
              confirmedByText(child),
              " · ",
              timeEl(child.confirmed_at, "notice-child-time"),
            );
          } else if (notice.require_confirm) {
            const button = h(
              "button",
              {
                type: "button",
                class: "btn btn-primary btn-block sn-confirm",
                "data-testid": "notice-confirm",
                "data-student-id": child.student_id,
                onclick: () => confirm(single ? null : [child.student_id], button),
              },
              single ? t("notice.confirmButton") : t("notice.confirmFor", { name: child.name }),
            );
            action = button;
          } else {
            action = h("p", { class: "muted small", "data-testid": "notice-child-state" }, t("notice.noConfirmNeeded"));
          }
          return h(
            "li",
            { class: "sn-child", "data-testid": "notice-child", "data-student-id": child.student_id, "data-confirmed": String(confirmed) },
            h("span", { class: "sn-child-name", "data-testid": "notice-child-name" }, child.name),
            action,
          );
        }),
      ),
    );
  }

  // ---------- page ----------

  function draw() {
    if (!notice) return;
    heading.textContent = notice.title;
    const parts = [contentCard(), childrenCard()];
    if (notice.classes) {
      if (notice.status === "scheduled") {
        parts.push(h("section", { class: "card" }, h("p", { class: "muted", "data-testid": "notice-not-released" }, t("notice.notReleasedYet", { time: formatDateTime(notice.release_at) }))));
      } else {
        parts.push(summaryCard(), notice.classes.map(classCard));
      }
    }
    // Keep focus on whatever button had it (a DING button) across redraws.
    const active = body.contains(document.activeElement) ? document.activeElement : null;
    const focused = active?.getAttribute("data-testid");
    const key = active?.closest("[data-ding-key]")?.getAttribute("data-ding-key");
    clear(body, parts);
    if (focused && focused.startsWith("notice-ding") && key !== undefined && key !== null) {
      body.querySelector(`[data-ding-key="${CSS.escape(key)}"] [data-testid="${focused}"]`)?.focus();
    }
  }

  ctx.on("school_notice.progress", (frame) => {
    const d = frame.data || {};
    if (!notice || d.notice_id !== id || !notice.classes) return;
    const c = notice.classes.find((x) => x.class_id === d.class_id);
    if (!c) return load();
    Object.assign(c, d.counts || {});
    if (d.student) {
      const i = c.families.findIndex((f) => f.student_id === d.student.student_id);
      if (i >= 0) c.families[i] = { ...c.families[i], ...d.student };
      else c.families.push(d.student);
    }
    draw();
  });
  ctx.on("school_notice.confirmed", (frame) => {
    const d = frame.data || {};
    if (!notice || d.notice_id !== id) return;
    const child = (notice.my_children || []).find((c) => c.student_id === d.student_id);
    if (!child) return;
    Object.assign(child, { confirmed_at: d.confirmed_at, confirmed_by: d.confirmed_by, read_at: child.read_at || d.confirmed_at });
    draw();
  });
  ctx.on("school_notice.published", (frame) => {
    if (frame.data?.notice?.id === id && notice?.status === "scheduled") load();
  });
  await load();
}
