// Editors for the list parts of an attendance group's rules: shifts, places (with "use my
// position"), office networks and Wi-Fi. Each row's inputs are named like the rule path the
// server names in details.field ("places.0.radius"), so showError() lands next to them.

import { t } from "../../i18n.js";
import { h, clear, uid, toast } from "../../ui.js";

function cell(col, row, prefix, i) {
  const id = uid(col.key);
  const input = h("input", {
    id,
    name: `${prefix}.${i}.${col.key}`,
    type: col.type || "text",
    value: row[col.key] ?? "",
    required: col.required || null,
    "data-testid": col.testid,
    ...(col.attrs || {}),
    oninput: (e) => (row[col.key] = e.target.value),
  });
  return h("div", { class: "field" }, h("label", { for: id }, col.label), input, h("p", { class: "field-error" }));
}

/**
 * A list of rows with the same columns. cols: [{key, label, type, testid, attrs, number}];
 * extra(row, draw) → more controls for a row. Returns {el, value()}.
 */
export function listEditor({ rows: initial, cols, prefix, testid, rowTestid, addLabel, newRow, extra, min = 0 }) {
  const rows = initial.map((r) => ({ ...r }));
  const box = h("div", { class: "att-list-rows", "data-testid": testid });
  function draw() {
    clear(
      box,
      rows.map((row, i) =>
        h(
          "div",
          { class: "field-row", "data-testid": rowTestid },
          cols.map((c) => cell(c, row, prefix, i)),
          extra ? extra(row, draw) : null,
          h("button", { type: "button", class: "icon-btn", "aria-label": t("attendanceAdmin.removeRow", { n: i + 1 }), disabled: rows.length <= min, onclick: () => (rows.splice(i, 1), draw()) }, "×"),
        ),
      ),
      h("button", { type: "button", class: "btn btn-small", "data-testid": `${testid}-add`, onclick: () => (rows.push(newRow()), draw(), box.querySelector(".field-row:last-of-type input")?.focus()) }, "+ ", addLabel),
    );
  }
  draw();
  return {
    el: box,
    value: () =>
      rows.map((row) => {
        const out = { ...row };
        for (const c of cols) {
          if (c.number) out[c.key] = row[c.key] === "" || row[c.key] === null ? null : Number(row[c.key]);
          else out[c.key] = String(row[c.key] ?? "").trim();
        }
        return out;
      }),
  };
}

export function shiftsEditor(shifts) {
  const editor = listEditor({
    rows: shifts.length ? shifts : [{ id: "", name: t("attendanceAdmin.shiftDay"), start: "09:00", end: "18:00" }],
    prefix: "shifts",
    testid: "group-shifts",
    rowTestid: "group-shift",
    addLabel: t("attendanceAdmin.addShift"),
    min: 1,
    newRow: () => ({ id: "", name: "", start: "09:00", end: "18:00" }),
    cols: [
      { key: "name", label: t("attendanceAdmin.shiftName"), testid: "shift-name", required: true, attrs: { maxlength: 30 } },
      { key: "start", label: t("attendanceAdmin.start"), type: "time", testid: "shift-start" },
      { key: "end", label: t("attendanceAdmin.end"), type: "time", testid: "shift-end" },
    ],
  });
  return {
    el: editor.el,
    value() {
      const list = editor.value();
      const taken = new Set(list.map((s) => s.id).filter(Boolean));
      let n = 1;
      for (const s of list) {
        if (s.id) continue;
        while (taken.has(`s${n}`)) n++;
        s.id = `s${n}`;
        taken.add(s.id);
      }
      return list.map((s) => ({ id: s.id, name: s.name, start: s.start, end: s.end }));
    },
  };
}

function useMyPosition(row, draw) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      "data-testid": "place-here",
      onclick: () => {
        if (!navigator.geolocation) return toast(t("attendance.geoUnavailable"), { type: "error" });
        navigator.geolocation.getCurrentPosition(
          (pos) => {
            row.latitude = pos.coords.latitude.toFixed(6);
            row.longitude = pos.coords.longitude.toFixed(6);
            draw();
          },
          (error) => toast(error.code === 1 ? t("attendance.geoDenied") : t("attendance.geoError"), { type: "error" }),
          { enableHighAccuracy: true, timeout: 15000 },
        );
      },
    },
    t("attendanceAdmin.useMyPosition"),
  );
}

export function placesEditor(places) {
  return listEditor({
    rows: places,
    prefix: "places",
    testid: "group-places",
    rowTestid: "group-place",
    addLabel: t("attendanceAdmin.addPlace"),
    newRow: () => ({ name: "", latitude: "", longitude: "", radius: 300 }),
    extra: useMyPosition,
    cols: [
      { key: "name", label: t("attendanceAdmin.placeName"), testid: "place-name", required: true, attrs: { maxlength: 50 } },
      { key: "latitude", label: t("attendanceAdmin.latitude"), type: "number", testid: "place-lat", number: true, attrs: { step: "any", min: -90, max: 90, inputmode: "decimal" } },
      { key: "longitude", label: t("attendanceAdmin.longitude"), type: "number", testid: "place-lng", number: true, attrs: { step: "any", min: -180, max: 180, inputmode: "decimal" } },
      { key: "radius", label: t("attendanceAdmin.radius"), type: "number", testid: "place-radius", number: true, attrs: { min: 100, max: 3000, step: 50 } },
    ],
  });
}

export function networksEditor(networks) {
  return listEditor({
    rows: networks,
    prefix: "networks",
    testid: "group-networks",
    rowTestid: "group-network",
    addLabel: t("attendanceAdmin.addNetwork"),
    newRow: () => ({ name: "", cidr: "" }),
    cols: [
      { key: "name", label: t("attendanceAdmin.networkName"), testid: "network-name", attrs: { maxlength: 50 } },
      { key: "cidr", label: t("attendanceAdmin.cidr"), testid: "network-cidr", attrs: { placeholder: "203.0.113.0/24", spellcheck: "false" } },
    ],
  });
}

export function wifiEditor(wifi) {
  return listEditor({
    rows: wifi,
    prefix: "wifi",
    testid: "group-wifi",
    rowTestid: "group-wifi-row",
    addLabel: t("attendanceAdmin.addWifi"),
    newRow: () => ({ ssid: "", bssid: "" }),
    cols: [
      { key: "ssid", label: t("attendanceAdmin.ssid"), testid: "wifi-ssid", attrs: { maxlength: 64 } },
      { key: "bssid", label: t("attendanceAdmin.bssid"), testid: "wifi-bssid", attrs: { placeholder: "00:11:22:33:44:55", spellcheck: "false" } },
    ],
  });
}
