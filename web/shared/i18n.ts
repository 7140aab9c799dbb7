// i18next for the Agent Inbox and the meeting page: one instance per app, the texts bundled
// (no loading), English as the fallback for a key that Swedish lacks (the key check in
// e2e/i18n_keys.test.mjs keeps that from happening). Escaping is left to the renderers (Preact
// and textContent escape every text), so i18next does not escape again.
import i18next, { type i18n } from 'i18next';
import { clockLocale, setClockLocale } from './clock';
import { clockLocaleFor, type Language } from './language';

export type Texts = Record<string, string>;

let instance: i18n | null = null;
let englishClock: string | undefined;

/**
 * `englishClockTag`: the locale English dates are written in (the Inbox: 'en-GB'); none: the
 * browser's own English variant (shared/language.ts). The clock is 24-hour either way.
 */
export function initI18n(texts: { en: Texts; sv: Texts }, lang: Language, englishClockTag?: string): void {
  englishClock = englishClockTag;
  instance = i18next.createInstance();
  void instance.init({
    lng: lang,
    fallbackLng: 'en',
    supportedLngs: ['sv', 'en'],
    resources: { en: { translation: texts.en }, sv: { translation: texts.sv } },
    // Flat keys ("topbar.logout"): a key is looked up whole, dots and colons included.
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  applyLocale(lang);
}

/** Switches the language of every later `t` and of every date and time. */
export function setLanguage(lang: Language): void {
  if (!instance) return;
  if (instance.language !== lang) void instance.changeLanguage(lang);
  applyLocale(lang);
}

export function language(): Language {
  return instance?.language === 'sv' ? 'sv' : 'en';
}

/** The text of `key` in the current language, placeholders ("{{name}}") and plurals (count) filled. */
export function t(key: string, values?: Record<string, string | number>): string {
  if (!instance) return key;
  return String(instance.t(key, values as never));
}

function applyLocale(lang: Language): void {
  const locale = englishClock && lang === 'en' ? englishClock : clockLocaleFor(lang);
  // Called on every Inbox render: only a change resets the clock's formatter cache.
  if (locale !== clockLocale()) setClockLocale(locale);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
