// Builds the front-end outputs into web/dist:
//   dist/inbox/  (Agent Inbox SPA, base /inbox/)   dist/widget.js   dist/demo/index.html
//   dist/meeting/ (the visitor's meeting page, base /meeting/)
import { rm, mkdir, copyFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const dist = here('../dist');

await rm(dist, { recursive: true, force: true });
await build({ configFile: here('../vite.inbox.config.mjs'), logLevel: 'warn' });
await build({ configFile: here('../vite.widget.config.mjs'), logLevel: 'warn' });
await build({ configFile: here('../vite.meeting.config.mjs'), logLevel: 'warn' });
// The demo page is plain static HTML embedding the widget with a classic script tag,
// which Vite would (noisily) refuse to bundle, so it is copied as is.
await mkdir(`${dist}/demo`, { recursive: true });
await copyFile(here('../demo/index.html'), `${dist}/demo/index.html`);
