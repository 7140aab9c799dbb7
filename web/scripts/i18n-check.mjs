// The key check of the front ends' texts: every key exists in both languages, no text is empty,
// and each key's placeholders ("{{name}}") are the same in both. Run by e2e/i18n_keys.test.mjs
// (part of `make test`), or alone: `node scripts/i18n-check.mjs` (exit 1 on a problem).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Each app's texts: web/<app>/src/locales/{en,sv}.json. */
export const APPS = ['inbox', 'widget', 'meeting'];

export function placeholders(text) {
  return [...String(text).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
}

/** The problems between two languages' texts of one app (empty: none). */
export function compareTexts(app, en, sv) {
  const problems = [];
  for (const [lang, texts, other] of [['en', en, sv], ['sv', sv, en]]) {
    for (const [key, text] of Object.entries(texts)) {
      if (typeof text !== 'string' || !text.trim()) problems.push(`${app}: "${key}" is empty in ${lang}`);
      if (!(key in other)) problems.push(`${app}: "${key}" is missing in ${lang === 'en' ? 'sv' : 'en'}`);
    }
  }
  for (const key of Object.keys(en)) {
    if (!(key in sv)) continue;
    const a = placeholders(en[key]).join(','), b = placeholders(sv[key]).join(',');
    if (a !== b) problems.push(`${app}: "${key}" has placeholders {${a}} in en but {${b}} in sv`);
  }
  return problems;
}

export function loadTexts(app, lang) {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../${app}/src/locales/${lang}.json`, import.meta.url)), 'utf8'));
}

export function checkAll() {
  return APPS.flatMap((app) => compareTexts(app, loadTexts(app, 'en'), loadTexts(app, 'sv')));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkAll();
  for (const p of problems) console.error(p);
  process.exit(problems.length ? 1 : 0);
}
