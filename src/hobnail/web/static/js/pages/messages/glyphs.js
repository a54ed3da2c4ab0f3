// Small line icons used only by the Messages screen (same style as ../../icons.js).

const PATHS = {
  pin: "M9 4h6l-1 6 4 4H6l4-4zM12 14v6",
  mute: "M6 16v-5a6 6 0 0 1 9.5-4.9M18 11v5l2 2H8M10 20a2 2 0 0 0 4 0M3 3l18 18",
};

const NS = "http://www.w3.org/2000/svg";

export function glyph(name, size = 14) {
  const svg = document.createElementNS(NS, "svg");
  for (const [k, v] of Object.entries({
    viewBox: "0 0 24 24",
    width: size,
    height: size,
    fill: "none",
    stroke: "currentColor",
    "stroke-width": "2",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
    "aria-hidden": "true",
    focusable: "false",
    class: "icon glyph",
  })) svg.setAttribute(k, v);
  const path = document.createElementNS(NS, "path");
  path.setAttribute("d", PATHS[name] || "");
  svg.append(path);
  return svg;
}
