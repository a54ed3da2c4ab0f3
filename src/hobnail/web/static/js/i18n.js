// Translations: flat key → string tables in /static/locales/<lang>.json.
// t("key", {name: "x"}) replaces {name}. Missing keys fall back to English, then the key.

export const LANGUAGES = [
  { code: "zh-CN", label: "简体中文" },
  { code: "en", label: "English" },
];
const STORAGE_KEY = "hobnail.lang";

const tables = {};
let current = "en";
const listeners = new Set();

async function load(lang) {
  if (!tables[lang]) {
    const response = await fetch(`/static/locales/${lang}.json`, { cache: "no-cache" });
    tables[lang] = response.ok ? await response.json() : {};
  }
  return tables[lang];
}

/** Normalise anything ("zh", "zh-Hans-CN", "en-GB") to a supported code. */
export function normalizeLang(value) {
  if (!value) return null;
  const v = String(value).toLowerCase();
  if (v.startsWith("zh")) return "zh-CN";
  if (v.startsWith("en")) return "en";
  return null;
}

export function browserLang() {
  const stored = normalizeLang(localStorage.getItem(STORAGE_KEY));
  if (stored) return stored;
  return normalizeLang(navigator.language) === "zh-CN" ? "zh-CN" : "en";
}

export function getLang() {
  return current;
}

export async function setLang(lang, { remember = true } = {}) {
  const code = normalizeLang(lang) || "en";
  await Promise.all([load(code), load("en")]);
  current = code;
  if (remember) localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = code;
  for (const fn of listeners) fn(code);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function has(key) {
  return key in (tables[current] || {}) || key in (tables.en || {});
}

export function t(key, vars) {
  let text = (tables[current] || {})[key];
  if (text === undefined) text = (tables.en || {})[key];
  if (text === undefined) {
    console.warn("i18n: missing key", key);
    return key;
  }
  if (vars) text = text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return text;
}

/** Text for an ApiError: our translation of its code if we have one, else the server's message. */
export function errorText(error) {
  if (!error) return "";
  const key = `error.${error.code}`;
  if (error.code && has(key)) return t(key, { ...(error.details || {}), message: error.message });
  return error.message || t("error.unknown");
}
