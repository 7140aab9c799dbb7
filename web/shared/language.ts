// Which language a person reads, and the locale their dates and times are written in.
// Parley speaks Swedish and English. An agent's choice is stored server-side (settings
// `language`: "sv", "en" or "" = follow the browser); a visitor's comes from the host page
// (data-lang on the widget's script tag) or, failing that, from the browser. Plain TS: the
// widget bundles this too.

export type Language = 'sv' | 'en';
export const LANGUAGES: readonly Language[] = ['sv', 'en'];

export function isLanguage(x: unknown): x is Language {
  return x === 'sv' || x === 'en';
}

/** The browser's language: Swedish for any sv* locale, else English. */
export function browserLanguage(tag: string | undefined = navigatorLanguage()): Language {
  return tag && /^sv\b/i.test(tag) ? 'sv' : 'en';
}

/** A stored or requested choice ("sv", "en", anything else: none) over the browser's. */
export function chooseLanguage(choice: string | null | undefined): Language {
  const c = (choice ?? '').trim().toLowerCase();
  return isLanguage(c) ? c : browserLanguage();
}

/**
 * The locale every date of this language is written in: Swedish 'sv-SE'; English the browser's
 * own English variant ('en-US': "Tue, Nov 25"), or 'en-GB' when the browser is not English (an
 * English text in an Arabic browser). The clock is 24-hour in both (shared/clock.ts), and
 * digits are Latin either way (numberingSystem 'latn').
 */
export function clockLocaleFor(lang: Language, tag: string | undefined = navigatorLanguage()): string {
  if (lang === 'sv') return 'sv-SE';
  if (tag && /^en\b/i.test(tag)) {
    try {
      return Intl.DateTimeFormat.supportedLocalesOf([tag])[0] ?? 'en-GB';
    } catch {
      return 'en-GB';
    }
  }
  return 'en-GB';
}

function navigatorLanguage(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}
