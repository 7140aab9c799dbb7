// Shared by the e2e files: a real Parley server in a temporary data dir, Debian's Chromium,
// bounded waits, screenshots, and "steps" (node:test tests that are skipped once one failed).
//   PARLEY_BIN=/path/to/parley npm run e2e      (default: ../build/parley relative to web/)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(webDir, 'dist');
export const shotsDir = path.join(webDir, 'e2e', 'screenshots');
export const PARLEY_BIN = path.resolve(webDir, process.env.PARLEY_BIN || '../build/parley');
export const WAIT = 8000; // every wait is bounded (generous enough for a busy 2-core box)
// The first screen of a fresh browser: seen to take over 8 s once in a fresh CI clone
// (the Inbox then retries its first request), so it gets a wider bound.
export const FIRST_LOAD = 25_000;

export function run(bin, args, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(bin)} ${args.slice(0, 2).join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Checks the binary and the build, and makes a fresh data dir. */
export async function prepare() {
  assert.ok(existsSync(PARLEY_BIN), `server binary not found at ${PARLEY_BIN} (set PARLEY_BIN)`);
  assert.ok(existsSync(path.join(distDir, 'inbox', 'index.html')) && existsSync(path.join(distDir, 'widget.js')), 'web/dist is missing: run `npm run build` first');
  await mkdir(shotsDir, { recursive: true });
  return mkdtemp(path.join(os.tmpdir(), 'parley-e2e-'));
}

/** `calendarOnly`: a Calendar Agent (can be booked for meetings, takes no chats). */
export function createAgent(dataDir, { name, email, password, role, calendarOnly }) {
  const args = ['admin', 'create-agent', '--data', dataDir, '--name', name, '--email', email, '--password', password];
  if (role) args.push('--role', role);
  if (calendarOnly) args.push('--calendar-only');
  return run(PARLEY_BIN, args);
}

/**
 * A fresh data dir with these agents, and `parley serve` running on it. `serveArgs`: extra
 * `parley serve` flags (e.g. a `--rate-limit` a spec needs lifted; see docs/api.md, "Limits").
 */
export async function startServer(agents, { serveArgs = [] } = {}) {
  const dataDir = await prepare();
  const server = new ParleyServer(dataDir, serveArgs);
  try {
    for (const a of agents) await createAgent(dataDir, a);
    return { dataDir, server, baseUrl: await server.start() };
  } catch (err) {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
}

const running = new Set();
// If the test process dies anyway, do not leave a server behind.
process.on('exit', () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * Spawns a long-running process (a Parley node, HAProxy) that is killed if the test process
 * exits without stopping it; `onOutput(chunk, 'stdout' | 'stderr')` gets its output as text.
 */
export function spawnLogged(bin, args, onOutput) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  for (const name of ['stdout', 'stderr']) {
    child[name].setEncoding('utf8');
    child[name].on('data', (chunk) => onOutput(chunk, name));
  }
  return child;
}

/** Stops a child: `signal` first, SIGKILL if it is still there after `graceMs`; resolves once it exited. */
export async function stopChild(child, signal = 'SIGTERM', graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
}

/** A TCP port that was free a moment ago on 127.0.0.1 (for a process that cannot report its own). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `parley serve` on 127.0.0.1 (a free port, or the one given) with the built front ends, and the
 * spec's extra flags (kept across a restart).
 */
export class ParleyServer {
  constructor(dataDir, serveArgs = []) {
    this.dataDir = dataDir;
    this.serveArgs = serveArgs;
    this.child = null;
    this.log = ''; // stdout and stderr
    this.out = ''; // stdout alone
    this.url = null;
  }

  start(listen = '127.0.0.1:0') {
    return new Promise((resolve, reject) => {
      const from = this.out.length; // a restart looks for its own "listening" line
      const child = spawnLogged(PARLEY_BIN, ['serve', '--listen', listen, '--data', this.dataDir, '--web', distDir, ...this.serveArgs], (chunk, stream) => {
        this.log += chunk;
        if (stream !== 'stdout') return;
        this.out += chunk;
        const m = /Parley listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(this.out.slice(from));
        if (m) {
          clearTimeout(timer);
          this.url = m[1];
          resolve(m[1]);
        }
      });
      this.child = child;
      const timer = setTimeout(() => reject(new Error(`server did not print its address within 15 s\n${this.log}`)), 15_000);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited early (code ${code}, signal ${signal})\n${this.log}`));
      });
    });
  }

  async stop() {
    const child = this.child;
    this.child = null;
    await stopChild(child);
  }

  /** `kill -9`: no graceful shutdown, nothing flushed that was not already committed. */
  async kill() {
    const child = this.child;
    this.child = null;
    await stopChild(child, 'SIGKILL');
  }

  /**
   * The accounts `serve --demo` printed before its "listening" line:
   * [{ role, email, password, name }] (the passwords are generated per data dir).
   */
  demoAccounts() {
    return [...this.out.matchAll(/^ {2}(admin|agent) +(\S+) +password: (\S+) +\((.+)\)$/gm)].map(([, role, email, password, name]) => ({ role, email, password, name }));
  }
}

export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-proxy-server'],
    timeout: 20_000,
  });
  // On a fresh machine the first page Chromium renders pays for building its font caches
  // (seen: over 8 s in CI). Pay it here, with its own generous bound, not in a test's wait.
  const warm = await browser.newPage();
  await warm.setContent('<p style="font-family:sans-serif">warm-up</p>', { timeout: 60_000 });
  await warm.screenshot({ timeout: 60_000 });
  await warm.close();
  return browser;
}

/** A browser context of the given size, in US English and UTC. */
export function newContext(browser, width, height) {
  return browser.newContext({ viewport: { width, height }, locale: 'en-US', timezoneId: 'UTC' });
}

/**
 * The two sides of a chat, each in its own context: the agent (1440×900; `agentInit`, if given,
 * runs in every agent page before the page's own scripts) and the visitor (1280×820), whose widget
 * events are recorded (see recordWidgetEvents).
 */
export async function agentAndVisitor(browser, dialogs, { agentInit } = {}) {
  const agentCtx = await newContext(browser, 1440, 900);
  const visitorCtx = await newContext(browser, 1280, 820);
  if (agentInit) await agentCtx.addInitScript(agentInit);
  const agent = await newPage(agentCtx, 'agent', dialogs);
  const visitor = await newPage(visitorCtx, 'visitor', dialogs);
  await recordWidgetEvents(visitor);
  return { agentCtx, visitorCtx, agent, visitor };
}

/**
 * Every Content-Security-Policy violation any page of this test file reported in its console
 * (Chromium logs each one: "Refused to load …", "… violates the following Content Security Policy
 * directive …"). The Inbox and the meeting page are served with a CSP (docs/api.md, "Cookies and
 * pages"): a step during which one appears fails (see scenario), and so does cleanup.
 */
export const cspViolations = [];
const CSP_CONSOLE = /Content Security Policy|Refused to (load|execute|connect|apply|frame|create|evaluate|run)/i;

/**
 * A page with bounded timeouts; alert()/confirm() calls are recorded into `dialogs` and dismissed;
 * CSP violations are recorded into `cspViolations`.
 */
export async function newPage(context, who, dialogs) {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.setDefaultNavigationTimeout(10_000);
  page.on('dialog', (d) => {
    dialogs.push(`${who}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  // What the page said, printed when a step fails (the last 50 lines).
  page.__log = [];
  const note = (line) => {
    page.__log.push(`${new Date().toISOString()} ${who}: ${line}`);
    if (page.__log.length > 50) page.__log.shift();
  };
  page.on('console', (m) => {
    note(`console.${m.type()}: ${m.text()}`);
    if (CSP_CONSOLE.test(m.text())) cspViolations.push(`${who} on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => note(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => note(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => note(`response: ${r.status()} ${r.request().method()} ${r.url()}`));
  return page;
}

/** Records the widget's host-page CustomEvents in window.__parleyEvents. */
export function recordWidgetEvents(page) {
  return page.addInitScript(() => {
    window.__parleyEvents = [];
    for (const n of ['chat-requested', 'chat-started', 'chat-ended', 'chat-missed', 'chat-timed-out', 'meeting-booked']) {
      window.addEventListener(`parley:${n}`, (e) => window.__parleyEvents.push({ type: n, detail: e.detail }));
    }
  });
}

export const widgetEvent = (page, type) => page.evaluate((t) => window.__parleyEvents.some((e) => e.type === t), type);

export async function shot(page, name) {
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), animations: 'disabled' });
}

/** Polls fn until it returns a truthy value (bounded). */
export async function until(fn, what, timeout = WAIT) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const texts = (locator) => locator.evaluateAll((els) => els.map((e) => e.textContent));

/**
 * Steps of one scenario: once a step fails the later ones are skipped, not piled on, and every
 * page returned by `pages()` gets a `failure-<prefix>-<i>` screenshot.
 */
export function scenario(prefix, pages) {
  const s = { broken: null };
  s.step = (name, fn, timeout = 60_000) =>
    test(name, { timeout }, async (t) => {
      if (s.broken) {
        t.skip(`skipped: "${s.broken}" failed`);
        return;
      }
      const violationsBefore = cspViolations.length;
      try {
        await fn(t);
        const fresh = cspViolations.slice(violationsBefore);
        assert.deepEqual(fresh, [], 'Content-Security-Policy violations reported in the console during this step');
      } catch (err) {
        s.broken = name;
        let i = 0;
        for (const p of pages()) {
          if (!p) continue;
          await shot(p, `failure-${prefix}-${++i}`).catch(() => {});
          for (const line of p.__log ?? []) console.log(`# ${line}`);
        }
        throw err;
      }
    });
  return s;
}

/**
 * Waits for the login form of a freshly opened Inbox, with the wider first-screen bound
 * (a fresh browser's first render is slow). It used to stay on the boot spinner in about one
 * run in five — the store changed before the component subscribed (fixed in useStoreState);
 * a failing step prints the page's console and responses (newPage).
 */
export async function waitForLoginForm(page) {
  await page.getByTestId('login-form').waitFor({ timeout: FIRST_LOAD });
}

/**
 * Signs in on /inbox/ (or the given path) and waits for the top bar (its availability toggle; a
 * calendar-only user has none, so `ready` names another test id to wait for).
 */
export async function signIn(page, baseUrl, agent, where = '/inbox/', ready = 'availability-toggle') {
  await page.goto(`${baseUrl}${where}`);
  await waitForLoginForm(page);
  await page.getByTestId('login-email').fill(agent.email);
  await page.getByTestId('login-password').fill(agent.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId(ready).waitFor();
}

/** The visitor fills the pre-chat form on the demo page (the widget panel must be open). */
export async function requestChat(visitor, { name, email }) {
  await visitor.getByTestId('prechat-form').waitFor();
  await visitor.getByTestId('prechat-name').fill(name);
  await visitor.getByTestId('prechat-email').fill(email);
  await visitor.getByTestId('prechat-submit').click();
}

/** A response body: parsed JSON, the text itself if it is not JSON, null if empty. */
function parseBody(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** A same-origin JSON call from the page (the agent's session cookie goes along). */
export async function apiCall(page, method, apiPath, body) {
  const { status, text } = await page.evaluate(
    async ([m, p, b]) => {
      const res = await fetch(`/api/v1${p}`, {
        method: m,
        headers: b === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, text: await res.text() };
    },
    [method, apiPath, body],
  );
  return { status, body: parseBody(text) };
}

/** A JSON call from the test process itself (no browser): `body` is JSON-encoded, `raw` sent as is. */
export async function httpCall(baseUrl, method, apiPath, { body, cookie, token, raw } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (cookie) headers.Cookie = cookie;
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}/api/v1${apiPath}`, { method, headers, body: body === undefined ? raw : JSON.stringify(body) });
  return { status: res.status, body: parseBody(await res.text()), headers: res.headers };
}

/**
 * Opens an agent's Inbox socket from the test process (Node's WebSocket; `npm run e2e` turns
 * it on) and resolves once the server said `hello`: from then on the agent is online, and only
 * online agents are offered requests. Close it with `.close()`.
 */
export async function openInboxSocket(baseUrl, cookie) {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { headers: { Cookie: cookie } });
  await new Promise((resolve, reject) => {
    ws.onmessage = (m) => {
      if (JSON.parse(m.data).type === 'hello') resolve();
    };
    ws.onerror = () => reject(new Error('the Inbox socket did not open'));
    ws.onclose = () => reject(new Error('the Inbox socket closed before hello'));
  });
  ws.onerror = ws.onclose = null;
  return ws;
}

export async function cleanup({ browser, servers = [], dataDir, broken, sockets = [] }) {
  for (const ws of sockets) ws?.close();
  await browser?.close().catch(() => {});
  for (const s of servers) await s?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => {});
  if (broken) for (const s of servers) if (s) console.log(`--- server output ---\n${s.log.slice(-4000)}`);
  // Rate limits (docs/api.md, "Limits") are on in the suite: say when one was hit, even if the spec coped.
  for (const s of servers) {
    const refused = s ? (s.log.match(/"status":429\b/g) ?? []).length : 0;
    if (refused) console.log(`# the server answered ${refused} request(s) with 429 too_many_requests`);
  }
  // Also those reported between steps (or by a step that had already failed).
  assert.deepEqual(cspViolations, [], 'Content-Security-Policy violations reported in the console');
}

// ---- phones and accessibility (issue 13) --------------------------------------------------

/** A phone: 390×844 CSS px, touch, mobile viewport rules (meta viewport, zoom-to-fit), US English, UTC. */
export function phoneContext(browser) {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
}

/**
 * The page never scrolls sideways (its content is no wider than the window), and each visible
 * element of `testids` lies inside the visible area (`sideways: true`: only between its left and
 * right edges, for things further down a page that scrolls): [] when all is well, else what is wrong.
 */
export async function layoutProblems(page, testids = [], { sideways = false } = {}) {
  return page.evaluate(([ids, sideways]) => {
    const out = [];
    const vv = window.visualViewport;
    const view = { left: vv ? vv.offsetLeft : 0, top: vv ? vv.offsetTop : 0, width: vv ? vv.width : innerWidth, height: vv ? vv.height : innerHeight };
    const sw = document.documentElement.scrollWidth;
    if (sw > innerWidth) out.push(`the page is ${sw} px wide in a ${innerWidth} px window (it scrolls sideways)`);
    for (const id of ids) {
      const els = [...document.querySelectorAll(`[data-testid="${id}"]`)].filter((e) => e.getClientRects().length > 0);
      if (!els.length) out.push(`${id}: not shown`);
      for (const e of els) {
        const r = e.getBoundingClientRect();
        const across = r.left >= view.left - 0.5 && r.right <= view.left + view.width + 0.5;
        const ok = across && (sideways || (r.top >= view.top - 0.5 && r.bottom <= view.top + view.height + 0.5));
        if (!ok) out.push(`${id}: at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}, outside the visible ${Math.round(view.width)}×${Math.round(view.height)}`);
      }
    }
    return out;
  }, [testids, sideways]);
}

/**
 * axe-core (@axe-core/playwright) on the page, or on the parts `include` names (CSS selectors; a
 * shadow host includes its open shadow root): the serious and critical violations, one readable
 * line per rule and element. `what` names the screen in the assertion message.
 */
export async function assertNoSeriousA11yViolations(page, what, include = []) {
  const { AxeBuilder } = await import('@axe-core/playwright');
  let builder = new AxeBuilder({ page });
  for (const sel of include) builder = builder.include(sel);
  const { violations } = await builder.analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const lines = bad.flatMap((v) => v.nodes.map((n) => `  [${v.impact}] ${v.id}: ${v.help}\n      at ${JSON.stringify(n.target)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`));
  assert.equal(lines.length, 0, `axe found ${lines.length} serious/critical problem(s) on ${what}:\n${lines.join('\n')}`);
}

/**
 * A meeting on the signed-in agent's calendar (made bookable every day, 30-minute slots), booked
 * by a fresh visitor session over the API: the answer `{meeting, manage_token}`.
 */
export async function bookMeeting(baseUrl, agentPage, email) {
  const blocks = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  const put = await apiCall(agentPage, 'PUT', '/me/calendar', { time_zone: 'UTC', blocks, duration_minutes: 30, buffer_minutes: 0, notice_minutes: 60, horizon_days: 14 });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const me = await apiCall(agentPage, 'GET', '/me');
  const session = await httpCall(baseUrl, 'POST', '/visitor/session', { body: {} });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  const token = session.body.visitor_token;
  const slots = await httpCall(baseUrl, 'GET', `/visitor/calendars/${me.body.agent.id}/slots`, { token });
  assert.ok(slots.body?.slots?.length, `free slots: ${JSON.stringify(slots.body)}`);
  const res = await httpCall(baseUrl, 'POST', '/visitor/meetings', { token, body: { agent_id: me.body.agent.id, start: slots.body.slots[0].start, email } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}
