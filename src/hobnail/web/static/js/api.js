// JSON API client for /api/v1: cookie session + X-CSRF-Token on writes,
// one error type (ApiError) carrying the server's {code, message, details}.

const BASE = "/api/v1";
let csrfToken = null;
let onUnauthorized = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** The header writes need, for clients that send their own requests (tus uploads). */
export function csrfHeaders() {
  return csrfToken ? { "X-CSRF-Token": csrfToken } : {};
}

/**
 * Called when the server says the session is gone (401 not_authenticated). Other 401s, such
 * as wrong_password from POST /me/password, are ordinary form errors.
 */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || code);
    this.status = status;
    this.code = code || "http_error";
    this.details = details || {};
  }

  /** The field the server blames, if any (details.field or the pydantic loc). */
  get field() {
    if (this.details.field) return this.details.field;
    const first = Array.isArray(this.details.errors) ? this.details.errors[0] : null;
    if (first && Array.isArray(first.loc)) {
      const loc = first.loc.filter((p) => !["body", "query", "path"].includes(p));
      if (loc.length) return loc[0];
    }
    return null;
  }
}

const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function errorFrom(status, body) {
  const err = body && body.error;
  if (err) return new ApiError(status, err.code, err.message, err.details);
  return new ApiError(status, "http_error", `HTTP ${status}`, {});
}

async function parse(response) {
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("application/json")) return response.json();
  return response.text();
}

/**
 * request("GET", "/members", {query: {q: "zs"}}) → parsed JSON.
 * body: plain object (sent as JSON) or FormData.
 */
export async function request(method, path, { query, body, quiet401 = false } = {}) {
  let url = BASE + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += "?" + qs;
  }
  const headers = { Accept: "application/json" };
  const init = { method, headers, credentials: "same-origin" };
  if (WRITE.has(method) && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, "network_error", e.message || "Network error", {});
  }
  const data = await parse(response).catch(() => null);
  if (!response.ok) {
    const error = errorFrom(response.status, data);
    if (response.status === 401 && error.code === "not_authenticated" && !quiet401 && onUnauthorized) onUnauthorized(error);
    throw error;
  }
  return data;
}

export const api = {
  get: (path, query, opts = {}) => request("GET", path, { ...opts, query }),
  post: (path, body, opts = {}) => request("POST", path, { ...opts, body }),
  put: (path, body, opts = {}) => request("PUT", path, { ...opts, body }),
  patch: (path, body, opts = {}) => request("PATCH", path, { ...opts, body }),
  del: (path, opts = {}) => request("DELETE", path, opts),
};

/**
 * Multipart upload with progress (fetch has no upload progress).
 * onProgress(fraction 0..1). Resolves with parsed JSON, rejects with ApiError.
 */
export function upload(method, path, formData, { query, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    let url = BASE + path;
    if (query) url += "?" + new URLSearchParams(query).toString();
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    if (csrfToken) xhr.setRequestHeader("X-CSRF-Token", csrfToken);
    if (onProgress) {
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      });
    }
    xhr.addEventListener("load", () => {
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        if (onProgress) onProgress(1);
        resolve(data);
      } else {
        const error = errorFrom(xhr.status, data);
        if (xhr.status === 401 && error.code === "not_authenticated" && onUnauthorized) onUnauthorized(error);
        reject(error);
      }
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "network_error", "Network error", {})));
    xhr.send(formData);
  });
}

/** A tus-js-client failure as an ApiError (the server's JSON error when it sent one). */
export function tusError(error) {
  const res = error && error.originalResponse;
  if (!res) return new ApiError(0, "network_error", error?.message || "Network error", {});
  let body = null;
  try {
    body = JSON.parse(res.getBody() || "null");
  } catch {
    body = null;
  }
  const status = res.getStatus();
  if (body && body.error) return new ApiError(status, body.error.code, body.error.message, body.error.details);
  return new ApiError(status, "http_error", `HTTP ${status}`, {});
}
