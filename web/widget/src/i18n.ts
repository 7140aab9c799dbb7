// The widget's language: the host page's choice (data-lang="sv" on the script tag or on the
// <parley-chat> element it may place), else the visitor's browser (sv* → Swedish, else English).
// A tiny dictionary (shared/dictionary.ts) instead of i18next, to keep widget.js small; the same
// key check covers it (e2e/i18n_keys.test.mjs). Dates and times follow the language (shared/clock.ts).
import { Dictionary } from '../../shared/dictionary';
import { setClockLocale } from '../../shared/clock';
import { chooseLanguage, clockLocaleFor, type Language } from '../../shared/language';
import en from './locales/en.json';
import sv from './locales/sv.json';

let dict = new Dictionary(en, en, 'en');

export function setWidgetLanguage(choice: string | null | undefined): Language {
  const lang = chooseLanguage(choice);
  dict = new Dictionary(lang === 'sv' ? sv : en, en, lang);
  setClockLocale(clockLocaleFor(lang));
  return lang;
}

export function widgetLanguage(): Language {
  return dict.language === 'sv' ? 'sv' : 'en';
}

export function t(key: string, values?: Record<string, string | number>): string {
  return dict.t(key, values);
}
