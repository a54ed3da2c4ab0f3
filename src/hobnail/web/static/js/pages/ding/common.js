// Shared bits of the DING screens: channel names and availability, labels for statuses,
// the escalation ladder as text, the page frame with the Received / Sent tabs.

import { api } from "../../api.js";
import { t, has } from "../../i18n.js";
import { h } from "../../ui.js";
import { unconfirmedCount } from "../../ding-alert.js";

export const CHANNELS = ["in_app", "sms", "voice", "email"];
export const STEP_CHANNELS = ["sms", "voice", "email"];

let channelsCache = null;

/** GET /dings/channels, cached for the page load: {channel: {available, reason}}. */
export async function loadChannels() {
  if (!channelsCache) {
    channelsCache = api.get("/dings/channels").catch((error) => {
      channelsCache = null;
      throw error;
    });
  }
  return channelsCache;
}

export function channelLabel(channel) {
  return has(`ding.channel.${channel}`) ? t(`ding.channel.${channel}`) : channel;
}

/** Why a channel cannot be used, in the reader's language where we know the reason. */
export function unavailableReason(channel, info) {
  if (info && info.available) return "";
  if (has(`ding.noProvider.${channel}`)) return t(`ding.noProvider.${channel}`);
  return (info && info.reason) || t("ding.channelUnavailable");
}

export function attemptStatus(status) {
  return has(`ding.attempt.${status}`) ? t(`ding.attempt.${status}`) : status;
}

export function attemptReason(reason) {
  const step = /^step-(\d+)$/.exec(reason || "");
  if (step) return t("ding.reason.step", { n: step[1] });
  return has(`ding.reason.${reason}`) ? t(`ding.reason.${reason}`) : reason;
}

/** "After 5 min: SMS (if unanswered: e-mail)" … joined. */
export function policyText(steps) {
  if (!steps || !steps.length) return t("ding.policyNone");
  return steps
    .map((s) => {
      const base = t("ding.policyStep", { minutes: s.after_minutes, channel: channelLabel(s.channel) });
      return s.fallback ? `${base}${t("ding.policyFallback", { channel: channelLabel(s.fallback) })}` : base;
    })
    .join(t("ding.policySep"));
}

export function progressText(ding) {
  return t("ding.progress", { confirmed: ding.confirmed ?? 0, total: ding.total ?? 0 });
}

/** A bar + "x / y confirmed". */
export function progressEl(ding, testid = "ding-progress") {
  const total = ding.total || 0;
  const done = ding.confirmed || 0;
  const pct = total ? Math.round((done / total) * 100) : 0;
  return h(
    "div",
    { class: `ding-progress${total && done === total ? " done" : ""}` },
    h("span", { class: "ding-progress-text", "data-testid": testid }, progressText(ding)),
    h("span", { class: "ding-bar", role: "presentation" }, h("span", { class: "ding-bar-fill", style: `width:${pct}%` })),
  );
}

export function statusTag(ding) {
  if (ding.status === "recalled") return h("span", { class: "tag tag-muted", "data-testid": "ding-status" }, t("ding.statusRecalled"));
  if (ding.status === "scheduled") return h("span", { class: "tag tag-info", "data-testid": "ding-status" }, t("ding.statusScheduled"));
  return null;
}

/** Title + actions + the Received / Sent tab links; returns the content container. */
export function dingFrame(ctx, active, ...actions) {
  const content = h("div", { class: "ding-content" });
  const n = unconfirmedCount();
  ctx.main.append(
    h("div", { class: "page-head" }, h("h1", {}, t("nav.ding")), actions.length ? h("div", { class: "page-actions" }, actions) : null),
    h(
      "nav",
      { class: "tabs", "aria-label": t("nav.ding"), "data-testid": "ding-tabs" },
      h(
        "a",
        { href: "/ding", class: "tab", "aria-current": active === "received" ? "page" : null, "data-testid": "ding-tab-received" },
        t("ding.received"),
        h("span", { class: "tab-count", "data-testid": "ding-tab-count", hidden: !n }, tabCount(n)),
      ),
      h("a", { href: "/ding/sent", class: "tab", "aria-current": active === "sent" ? "page" : null, "data-testid": "ding-tab-sent" }, t("ding.sent")),
    ),
    content,
  );
  return content;
}

function tabCount(n) {
  return [h("span", { "aria-hidden": "true" }, String(n)), h("span", { class: "sr-only" }, t("ding.unconfirmedTotal", { count: n }))];
}

/** Keep the Received tab's count in step with the alert module. */
export function updateTabCount(root) {
  const el = root.querySelector("[data-testid=ding-tab-count]");
  if (!el) return;
  const n = unconfirmedCount();
  el.hidden = !n;
  el.replaceChildren(...tabCount(n));
}

export function newDingButton() {
  return h("a", { href: "/ding/new", class: "btn btn-primary", "data-testid": "ding-new" }, t("ding.new"));
}
