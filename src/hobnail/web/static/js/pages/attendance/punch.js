// Today's card of /attendance: the schedule, where I am (office area, office network,
// outside), ONE round Clock in / Clock out button saying why it can or cannot be pressed,
// today's punches and result. The position comes from navigator.geolocation; without it
// (denied, unavailable) /me/today is asked without coordinates, so the office network
// still works. A field clock-in asks for a note (and a photo when the group requires one).

import { api } from "../../api.js";
import { t, errorText } from "../../i18n.js";
import { h, clear, toast, dialog, field, formError, showError } from "../../ui.js";
import { attachmentPicker } from "../ding/attachment.js";
import { statusChip, reasonList, formatTime, formatDay, deviceId, uuid, reasonText } from "./common.js";

const GEO_OPTIONS = { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 };

function locate() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve({ state: "unavailable" });
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ state: "ok", latitude: pos.coords.latitude, longitude: pos.coords.longitude, accuracy: pos.coords.accuracy }),
      (error) => resolve({ state: error.code === 1 ? "denied" : "error" }),
      GEO_OPTIONS,
    );
  });
}

function scheduleText(plan, tz) {
  if (!plan) return "";
  if (plan.kind !== "work") return plan.reason ? reasonText(plan.reason) : t(`attendance.status.${plan.kind}`);
  if (plan.shift) return t("attendance.shiftLine", { name: plan.shift.name, start: plan.shift.start, end: plan.shift.end });
  if (plan.flexible_hours) return t("attendance.flexLine", { hours: plan.flexible_hours, start: formatTime(plan.opens, tz), end: formatTime(plan.closes, tz) });
  return "";
}

function isField(today) {
  const result = today.location?.result;
  return result === "outside" || result === "unknown";
}

/** Why the button can or cannot be pressed now, as {text, tone}. */
function whyText(today, geo) {
  const tz = today.timezone;
  if (!today.in_group) return { text: t("attendance.notInGroup"), tone: "bad" };
  const refusal = today.refusal;
  if (refusal?.code === "outside_punch_window") {
    const opens = refusal.opens ? new Date(refusal.opens) : null;
    if (opens && opens > new Date(today.now)) return { text: t("attendance.opensAt", { time: formatTime(refusal.opens, tz) }), tone: "bad" };
    return { text: t("attendance.closedNow"), tone: "bad" };
  }
  const loc = today.location || {};
  const geoNote = geo.state === "denied" ? t("attendance.geoDenied") : geo.state === "unavailable" ? t("attendance.geoUnavailable") : geo.state === "error" ? t("attendance.geoError") : "";
  if (loc.result === "place") return { text: t("attendance.inPlace", { name: loc.name }), tone: "ok" };
  if (loc.result === "network") return { text: t("attendance.onNetwork", { name: loc.name || t("attendance.officeNetwork") }), tone: "ok" };
  const where = loc.result === "outside" && loc.name ? t("attendance.distanceFrom", { distance: Math.round(loc.distance_m || 0), name: loc.name }) : "";
  if (refusal?.code === "outside_area") return { text: [t("attendance.outsideNoField"), where, geoNote].filter(Boolean).join(" "), tone: "bad" };
  if (refusal) return { text: errorText(refusal), tone: "bad" };
  const text = today.field_photo_required ? t("attendance.outsideFieldPhoto") : t("attendance.outsideField");
  return { text: [text, where, geoNote].filter(Boolean).join(" "), tone: "warn" };
}

/** Note (and photo) for a field clock-in. Resolves {note, photo_file_id} or null. */
function fieldDialog(photoRequired) {
  const picker = photoRequired ? attachmentPicker() : null;
  const d = dialog({
    title: t("attendance.fieldTitle"),
    testid: "field-dialog",
    content: (close) => {
      const form = h(
        "form",
        { class: "stack", novalidate: true, "data-testid": "field-form" },
        h("p", { class: "muted small" }, t("attendance.fieldHelp")),
        formError(),
        field({ label: t("attendance.fieldNote"), name: "note", type: "textarea", required: true, testid: "field-note", attrs: { maxlength: 500, rows: 3 } }),
        picker ? h("div", { class: "field" }, h("p", { class: "small" }, t("attendance.fieldPhoto")), picker.el) : null,
        h("div", { class: "actions" }, h("button", { type: "button", class: "btn", onclick: () => close(null) }, t("common.cancel")), h("button", { type: "submit", class: "btn btn-primary", "data-testid": "field-submit" }, t("attendance.fieldSubmit"))),
      );
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const note = form.elements.note.value.trim();
        if (!note) return showError(form, { field: "note", message: t("error.field_note_required") });
        if (picker && picker.state() === "uploading") return showError(form, { message: t("approvals.waitUpload") });
        if (picker && !picker.fileId()) return showError(form, { message: t("error.field_photo_required") });
        close({ note, photo_file_id: picker ? picker.fileId() : null });
      });
      return form;
    },
  });
  return d.closed.then((v) => {
    if (!v && picker) picker.dispose();
    return v || null;
  });
}

/** The card; onPunched() after a punch (the month below reloads). Returns {el, refresh, dispose}. */
export function punchCard(ctx, { onPunched = () => {} } = {}) {
  let geo = { state: "locating" };
  let today = null;
  let pressing = false;
  let seq = 0;

  const heading = h("h2", { id: "att-today-h" }, t("attendance.today"));
  const sub = h("p", { class: "muted small", "data-testid": "attendance-schedule" });
  const clockText = h("span", { class: "punch-clock", "aria-hidden": "true" });
  const buttonLabel = h("span", { class: "punch-label" });
  const why = h("p", { class: "punch-why", id: "punch-why", "data-testid": "punch-reason" });
  const button = h("button", { type: "button", class: "punch-button", "data-testid": "punch-button", "aria-describedby": "punch-why", disabled: true, onclick: () => press() }, buttonLabel, clockText);
  const relocate = h("button", { type: "button", class: "btn btn-small", "data-testid": "punch-relocate", onclick: () => refresh({ relocate: true }) }, t("attendance.recheck"));
  const live = h("p", { class: "punch-live", role: "status", "aria-live": "polite", "data-testid": "punch-result" });
  const punchesBox = h("div", { "data-testid": "today-punches-box" });
  const resultBox = h("div", { class: "att-today-result", "data-testid": "today-result" });
  const el = h(
    "section",
    { class: "card att-today", "aria-labelledby": "att-today-h", "data-testid": "attendance-today" },
    h("div", { class: "card-head" }, heading, relocate),
    sub,
    h("div", { class: "punch-area" }, button, why),
    live,
    resultBox,
    punchesBox,
  );

  const tick = () => (clockText.textContent = formatTime(new Date().toISOString(), today?.timezone));
  tick();
  const timer = setInterval(tick, 1000);

  function draw() {
    if (!today) return;
    const tz = today.timezone;
    const plan = today.plan;
    clear(heading, t("attendance.today"), plan ? h("span", { class: "muted small att-date" }, " · ", formatDay(plan.day)) : null);
    clear(sub, today.in_group ? [today.group_name, " · ", scheduleText(plan, tz)] : "");
    const w = geo.state === "locating" ? { text: t("attendance.locating"), tone: "muted" } : whyText(today, geo);
    clear(why, w.text);
    why.dataset.tone = w.tone;
    el.dataset.location = today.location?.result || "";
    const fieldPunch = isField(today);
    const kind = today.next_kind || "in";
    button.dataset.kind = fieldPunch ? `field-${kind}` : kind;
    button.dataset.ready = today.can_punch && geo.state !== "locating" ? "true" : "false";
    button.disabled = pressing || !today.can_punch || geo.state === "locating";
    button.classList.toggle("is-out", kind === "out");
    button.classList.toggle("is-field", fieldPunch);
    clear(buttonLabel, fieldPunch ? t(kind === "out" ? "attendance.fieldOut" : "attendance.fieldIn") : t(kind === "out" ? "attendance.clockOut" : "attendance.clockIn"));
    tick();
    // Today's result and punches
    const result = today.result;
    clear(
      resultBox,
      result && today.in_group
        ? [
            h("div", { class: "att-result-line" }, statusChip(result.status, "today-status"), result.in_at ? h("span", { class: "small" }, t("attendance.inAt", { time: formatTime(result.in_at, tz) })) : null, result.out_at ? h("span", { class: "small" }, t("attendance.outAt", { time: formatTime(result.out_at, tz) })) : null),
            reasonList(result.reasons, "today-reasons"),
          ]
        : null,
    );
    const punches = (today.punches || []).filter((p) => p.work_date === plan?.day || p.work_date === today.punch_day);
    clear(
      punchesBox,
      punches.length
        ? h(
            "ol",
            { class: "att-punches", "data-testid": "today-punches", "aria-label": t("attendance.todayPunches") },
            punches.map((p) =>
              h(
                "li",
                { class: "att-punch", "data-testid": "today-punch", "data-kind": p.kind, "data-location": p.location_result, "data-review": p.review || "" },
                h("strong", {}, formatTime(p.at, tz)),
                h("span", {}, t(p.kind === "out" ? "attendance.kindOut" : "attendance.kindIn")),
                h("span", { class: "muted small" }, p.location_result === "field" ? t("attendance.where.field") : p.place || t(`attendance.where.${p.location_result}`)),
                p.note ? h("span", { class: "small", dir: "auto" }, p.note) : null,
                p.review === "rejected" ? h("span", { class: "tag tag-danger" }, t("attendance.review.rejected")) : p.review === "pending" ? h("span", { class: "tag tag-warn" }, t("attendance.review.pending")) : null,
              ),
            ),
          )
        : today.in_group
          ? h("p", { class: "muted small", "data-testid": "today-no-punches" }, t("attendance.noPunches"))
          : null,
    );
  }

  async function load() {
    const mine = ++seq;
    const query = {};
    if (geo.state === "ok") Object.assign(query, { latitude: geo.latitude, longitude: geo.longitude, accuracy: geo.accuracy });
    try {
      const data = await api.get("/attendance/me/today", query);
      if (mine !== seq || !ctx.isCurrent()) return;
      today = data;
      draw();
    } catch (error) {
      if (mine === seq) clear(why, h("span", { class: "notice notice-error" }, errorText(error)));
    }
  }

  /** Reload today; relocate: ask the browser for the position again first. */
  async function refresh({ relocate: again = false } = {}) {
    if (again || geo.state !== "ok") {
      geo = { state: "locating" };
      draw();
      const first = load(); // the schedule shows at once; the button waits for the position
      geo = await locate();
      await first;
    }
    await load();
  }

  async function post(body) {
    // A lost response is retried with the same client_id: the server punches once.
    for (let attempt = 0; ; attempt++) {
      try {
        return await api.post("/attendance/punches", body);
      } catch (error) {
        if (error.code !== "network_error" || attempt >= 2) throw error;
        await new Promise((r) => setTimeout(r, 800));
      }
    }
  }

  async function press() {
    if (pressing || !today?.can_punch) return;
    pressing = true;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    const body = { device_id: deviceId(), client_id: uuid(), note: "" };
    if (geo.state === "ok") Object.assign(body, { latitude: geo.latitude, longitude: geo.longitude, accuracy: geo.accuracy });
    try {
      if (isField(today)) {
        const extra = await fieldDialog(!!today.field_photo_required);
        if (!extra) return;
        Object.assign(body, extra);
      }
      const res = await post(body);
      const p = res.punch;
      const key = p.kind === "out" ? (p.location_result === "field" ? "attendance.punchedFieldOut" : "attendance.punchedOut") : p.location_result === "field" ? "attendance.punchedFieldIn" : "attendance.punchedIn";
      const status = res.day ? statusLabelText(res.day) : "";
      live.textContent = [t(key, { time: formatTime(p.at, today.timezone) }), status].filter(Boolean).join(" · ");
      live.dataset.kind = p.kind;
      toast(live.textContent, { type: "success" });
      onPunched();
    } catch (error) {
      live.textContent = errorText(error);
      live.dataset.kind = "error";
      toast(errorText(error), { type: "error" });
    } finally {
      pressing = false;
      button.removeAttribute("aria-busy");
      await load();
    }
  }

  function statusLabelText(day) {
    const reasons = (day.reasons || []).map(reasonText).filter(Boolean);
    return [t(`attendance.status.${day.status}`), ...reasons].join(" · ");
  }

  const onVisible = () => {
    if (document.visibilityState === "visible") refresh({ relocate: true });
  };
  document.addEventListener("visibilitychange", onVisible);
  ctx.on("attendance.punched", () => load());
  ctx.on("attendance.day_updated", () => load());
  ctx.on("stream.resync", () => load());

  return {
    el,
    refresh,
    dispose() {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    },
  };
}
