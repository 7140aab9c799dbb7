// The texts of the Inbox, the widget and the meeting page exist in Swedish and English alike:
// the same keys, no empty text, the same placeholders (scripts/i18n-check.mjs). Also: every
// key the source code asks for (t('…')) exists, and the check itself fails on a missing key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APPS, checkAll, compareTexts, loadTexts } from '../scripts/i18n-check.mjs';

const web = fileURLToPath(new URL('..', import.meta.url));

test('every key exists in both languages with the same placeholders', () => {
  assert.deepEqual(checkAll(), []);
});

test('the check fails on a missing key, an empty text and a placeholder mismatch', () => {
  const problems = compareTexts('x', { a: 'A', b: 'Hi {{name}}', c: 'C' }, { b: 'Hej {{namn}}', c: ' ' });
  assert.ok(problems.some((p) => p.includes('"a" is missing in sv')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('"b" has placeholders')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('"c" is empty in sv')), problems.join('\n'));
});

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'locales' ? [] : sources(p);
    return /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

test('every literal key the code asks for exists', () => {
  const missing = [];
  for (const app of APPS) {
    const en = loadTexts(app, 'en');
    const has = (k) => k in en || `${k}_one` in en || `${k}_other` in en;
    for (const file of sources(join(web, app, 'src'))) {
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) {
        if (!has(m[1])) missing.push(`${file.slice(web.length)}: ${m[1]}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
