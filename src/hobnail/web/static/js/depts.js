// Departments arrive flat (id, name, parent_id, position, member_count); build the tree here.

import { api } from "./api.js";
import { t } from "./i18n.js";

export async function fetchDepartments() {
  return api.get("/departments");
}

/** → {roots, byId}; each node = {...department, children: [...]}, siblings sorted by position. */
export function buildTree(list) {
  const byId = new Map();
  for (const d of list) byId.set(d.id, { ...d, children: [] });
  const roots = [];
  for (const node of byId.values()) {
    const parent = node.parent_id ? byId.get(node.parent_id) : null;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (nodes) => {
    nodes.sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
    nodes.forEach((n) => sort(n.children));
  };
  sort(roots);
  return { roots, byId };
}

/** Depth-first list of {node, depth} in display order. */
export function flatten(roots) {
  const out = [];
  const walk = (nodes, depth) => {
    for (const node of nodes) {
      out.push({ node, depth });
      walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  return out;
}

/** "研发部 / 前端组" */
export function pathName(byId, id) {
  const names = [];
  let node = byId.get(id);
  const seen = new Set();
  while (node && !seen.has(node.id)) {
    seen.add(node.id);
    names.unshift(node.name);
    node = node.parent_id ? byId.get(node.parent_id) : null;
  }
  return names.join(" / ");
}

/**
 * Options for a <select> of departments, indented by depth. excludeId drops that one
 * department (its descendants stay listed: the server refuses cycles with department_cycle).
 */
export function departmentOptions(roots, { emptyLabel, excludeId } = {}) {
  const options = [];
  if (emptyLabel !== undefined) options.push({ value: "", label: emptyLabel || t("departments.none") });
  const walk = (nodes, depth) => {
    for (const node of nodes) {
      if (node.id !== excludeId) options.push({ value: node.id, label: `${"\u00a0\u00a0".repeat(depth * 2)}${node.name}` });
      walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  return options;
}
