// History API router. Patterns look like "/join/:code"; params are decoded.

let routes = [];
let handler = null;

export function defineRoutes(list, onRoute) {
  routes = list.map((route) => {
    const names = [];
    const source = route.path.replace(/:(\w+)/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    });
    return { ...route, regex: new RegExp(`^${source}/?$`), names };
  });
  handler = onRoute;
}

export function match(pathname) {
  for (const route of routes) {
    const m = route.regex.exec(pathname);
    if (m) {
      const params = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
      return { route, params };
    }
  }
  return null;
}

export function currentPath() {
  return location.pathname + location.search;
}

export function navigate(path, { replace = false } = {}) {
  if (path === currentPath() && !replace) return handler && handler();
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  if (handler) handler();
}

export function startRouter() {
  window.addEventListener("popstate", () => handler && handler());
  // Same-origin links navigate in-app; modifier clicks and external links behave normally.
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/static/")) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}
