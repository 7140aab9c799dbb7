// The Inbox's language: the agent's setting ("sv", "en"; "" or none = the browser's), applied
// to every text (i18next, locales/*.json) and every date and time (shared/clock.ts).
import { initI18n, language, setLanguage, t } from '../../shared/i18n';
import { chooseLanguage } from '../../shared/language';
import en from './locales/en.json';
import sv from './locales/sv.json';

export { t, language };

/**
 * At start, before any login: the browser's language. English dates are written the 'en-GB'
 * way in every browser; times are 24-hour in both languages everywhere (shared/clock.ts).
 */
export function initInboxLanguage(): void {
  initI18n({ en, sv }, chooseLanguage(null), 'en-GB');
}

/** The agent's setting (or the browser's when they chose none); a no-op when nothing changes. */
export function applyAgentLanguage(setting: string | null | undefined): void {
  setLanguage(chooseLanguage(setting));
}
