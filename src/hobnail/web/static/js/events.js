// One WebSocket to /api/v1/events (cookie auth, same origin).
// - Keeps the last cursor in sessionStorage and resumes with ?cursor=LAST.
// - Reconnects with exponential backoff (1s → 30s, jittered); code 4408 (too slow) reconnects,
//   4401 calls the unauthorized handler, 4403 stops.
// - on(type, handler) subscribes ("*" = every event; "stream.resync" = state must be refetched).

const CURSOR_KEY = "hobnail.events.cursor";
const handlers = new Map();
let socket = null;
let wanted = false;
let attempt = 0;
let timer = null;
let unauthorizedHandler = null;

export function on(type, handler) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type).add(handler);
  return () => handlers.get(type)?.delete(handler);
}

function emit(type, payload) {
  for (const key of [type, "*"]) {
    for (const fn of handlers.get(key) || []) {
      try {
        fn(payload);
      } catch (e) {
        console.error("events: handler failed", e);
      }
    }
  }
}

function saveCursor(cursor) {
  if (cursor !== undefined && cursor !== null) sessionStorage.setItem(CURSOR_KEY, String(cursor));
}

export function lastCursor() {
  return sessionStorage.getItem(CURSOR_KEY);
}

export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

function url() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const cursor = lastCursor();
  return `${proto}//${location.host}/api/v1/events${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`;
}

function handleFrame(frame) {
  if (frame.type === "stream.ready") {
    attempt = 0;
    saveCursor(frame.cursor);
    emit("stream.ready", frame);
    return;
  }
  if (frame.type === "stream.resync") {
    saveCursor(frame.cursor);
    emit("stream.resync", frame);
    return;
  }
  if (frame.cursor !== undefined) saveCursor(frame.cursor);
  emit(frame.type, frame);
}

function open() {
  clearTimeout(timer);
  if (!wanted) return;
  const ws = new WebSocket(url());
  socket = ws;
  ws.addEventListener("message", (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    handleFrame(frame);
  });
  ws.addEventListener("close", (event) => {
    if (socket !== ws) return;
    socket = null;
    emit("stream.closed", { code: event.code });
    if (!wanted) return;
    if (event.code === 4401) {
      wanted = false;
      if (unauthorizedHandler) unauthorizedHandler();
      return;
    }
    if (event.code === 4403) {
      wanted = false;
      return;
    }
    if (event.code === 4400) sessionStorage.removeItem(CURSOR_KEY); // bad cursor: start from head
    scheduleReconnect(event.code === 4408);
  });
}

function scheduleReconnect(quick) {
  attempt += 1;
  const base = quick ? 500 : Math.min(30000, 1000 * 2 ** Math.min(attempt - 1, 5));
  const delay = base / 2 + Math.random() * (base / 2);
  clearTimeout(timer);
  timer = setTimeout(open, delay);
}

export function connect() {
  if (wanted && socket) return;
  wanted = true;
  attempt = 0;
  open();
}

/** Close the stream; forget the cursor when the session or organisation changes. */
export function disconnect({ forget = false } = {}) {
  wanted = false;
  clearTimeout(timer);
  if (forget) sessionStorage.removeItem(CURSOR_KEY);
  if (socket) {
    const ws = socket;
    socket = null;
    ws.close(1000);
  }
}

export function isConnected() {
  return !!socket && socket.readyState === WebSocket.OPEN;
}
