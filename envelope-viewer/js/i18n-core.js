// The language picker and text runtime shared by the viewer (js/i18n.js) and the auditor console
// (js/audit-i18n.js); each keeps its own strings table and passes it here with what differs.
// Values are always written with textContent, never as markup.

function argsOf(json) {
  try {
    return json ? JSON.parse(json) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * languages: the supported language codes (English is the fallback); messages: language -> key ->
 * text or { one, other }; format(value, lang): how a {placeholder} value is written; rerender(root):
 * what a language switch re-renders besides the data-i18n elements and the title.
 */
export function createI18n({ languages, messages, format = (v) => String(v), rerender = () => {} }) {
  let current = 'en';

  /** Picks the first of the browser's preferred languages that we have, else English. */
  function preferredLanguage(navigatorLanguages = navigator.languages || [navigator.language]) {
    for (const tag of navigatorLanguages) {
      const base = String(tag || '').toLowerCase().split('-')[0];
      if (languages.includes(base)) return base;
    }
    return 'en';
  }

  const language = () => current;

  /** The text for `key` in the current language; {name} placeholders filled from args. */
  function t(key, args = {}) {
    let msg = messages[current][key] ?? messages.en[key] ?? key;
    if (typeof msg === 'object') {
      msg = new Intl.PluralRules(current).select(Number(args.n)) === 'one' ? msg.one : msg.other;
    }
    return msg.replace(/\{(\w+)\}/g, (_, name) => (name in args ? format(args[name], current) : `{${name}}`));
  }

  /** Sets el's text (and remembers key and args, so a language switch re-renders it). */
  function setText(el, key, args) {
    el.dataset.i18n = key;
    if (args) el.dataset.i18nArgs = JSON.stringify(args);
    else delete el.dataset.i18nArgs;
    el.textContent = t(key, args);
  }

  /** Same for an attribute (aria-label, title...). */
  function setAttr(el, attr, key, args) {
    el.dataset.i18nAttr = attr;
    el.dataset.i18nAttrKey = key;
    if (args) el.dataset.i18nAttrArgs = JSON.stringify(args);
    el.setAttribute(attr, t(key, args));
  }

  /** Switches the language (an unsupported one means English) and re-renders everything under root. */
  function setLanguage(lang, root = document) {
    current = languages.includes(lang) ? lang : 'en';
    document.documentElement.lang = current;
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, argsOf(el.dataset.i18nArgs));
    for (const el of root.querySelectorAll('[data-i18n-attr]')) {
      el.setAttribute(el.dataset.i18nAttr, t(el.dataset.i18nAttrKey, argsOf(el.dataset.i18nAttrArgs)));
    }
    rerender(root);
    document.title = t('page.title');
  }

  return { preferredLanguage, language, t, setText, setAttr, setLanguage };
}
