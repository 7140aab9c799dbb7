// End-to-end through a real nginx from Debian in front of Parley, configured by
// deploy/nginx.conf itself (only its ports, certificate, cache path and upstream swapped, each
// swap checked to match once, so the test breaks when the file changes shape): TLS with a
// self-signed certificate, plain HTTP redirected, the widget's script cached, the agent and the
// visitor chatting over WebSockets through the proxy, and the server taking the client's
// address from X-Forwarded-For only because the connection comes from the proxy it trusts.
//
// nginx runs as a foreground child of this test (never a system service); scripts/
// install_packages.sh installs Debian's nginx package first when it is missing. nginx connects
// to Parley from 127.0.0.2 (proxy_bind) and Parley trusts only that address, so "the proxy"
// and "the browser" (127.0.0.1) are told apart on one machine.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import {
  cleanup,
  distDir,
  freePort,
  launchBrowser,
  newPage,
  recordWidgetEvents,
  requestChat,
  scenario,
  shot,
  signIn,
  spawnLogged,
  startServer,
  stopChild,
  texts,
  until,
  webDir,
  widgetEvent,
} from './helpers.mjs';

const AGENT = { name: 'Alice Agent', email: 'alice@example.com', password: 'correct horse 1' };
const VISITOR = { name: 'Nils Nginx', email: 'nils@example.com' };
const DEPLOY_CONF = path.resolve(webDir, '..', 'deploy', 'nginx.conf');
const INSTALL = path.resolve(webDir, '..', 'scripts', 'install_packages.sh');
const PROXY_ADDRESS = '127.0.0.2'; // nginx -> Parley; the only address Parley trusts
const LOGINS_PER_IP = 6; // --rate-limit login-per-ip: small, so the test can reach it

function nginxBinary() {
  return ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
}

// A fresh machine gets Debian's nginx here (as root or through sudo -n, like make test's
// other packages). Its service is never used: the test runs its own nginx process.
function ensureNginx() {
  if (nginxBinary()) return null;
  const r = spawnSync('bash', [INSTALL, 'e2e-nginx', 'nginx'], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (nginxBinary()) return null;
  return `nginx is not installed and scripts/install_packages.sh could not install it: ${r.stderr || r.stdout || r.error}`;
}

const missing = ensureNginx();
if (missing) {
  if (process.env.CI) test('nginx prerequisites', () => assert.fail(missing));
  else test('chat through nginx', { skip: missing }, () => {});
} else {
  defineScenario();
}

/** One HTTP(S) request from this process; `localAddress` picks the source address. */
function request(url, { method = 'GET', headers = {}, body, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, { method, headers, localAddress, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${url} timed out`)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A login attempt for an account that does not exist (so no per-account back-off applies). */
function badLogin(url, n, options = {}) {
  return request(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(options.headers ?? {}) },
    body: JSON.stringify({ email: `nobody${n}@example.com`, password: 'not the password' }),
    localAddress: options.localAddress,
  });
}

/** deploy/nginx.conf with `from` replaced by `to`, which must occur exactly `times` times. */
function swap(text, from, to, times = 1) {
  const found = text.split(from).length - 1;
  assert.equal(found, times, `deploy/nginx.conf: expected "${from}" ${times} time(s), found ${found}`);
  return text.split(from).join(to);
}

function defineScenario() {
  let dataDir, server, parleyUrl, browser, agentCtx, visitorCtx, agent, visitor;
  let nginx; // { child, log }
  let base; // https://127.0.0.1:<port>, through nginx
  let plainUrl; // http://127.0.0.1:<port>, nginx's redirecting server
  const dialogs = [];
  const sockets = { agent: [], visitor: [] }; // WebSockets each page opened (url, closed)
  const flow = scenario('nginx', () => [agent, visitor]);
  const { step } = flow;

  before(async () => {
    ({ dataDir, server, baseUrl: parleyUrl } = await startServer([AGENT], {
      serveArgs: ['--trusted-proxy', PROXY_ADDRESS, '--rate-limit', `login-per-ip=${LOGINS_PER_IP}/600`],
    }));
    const dir = path.join(dataDir, 'nginx');
    await mkdir(path.join(dir, 'cache'), { recursive: true });
    await mkdir(path.join(dir, 'tmp'), { recursive: true });
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });

    const [httpsPort, httpPort] = [await freePort(), await freePort()];
    let site = await readFile(DEPLOY_CONF, 'utf8');
    site = swap(site, 'server 127.0.0.1:8080;', `server ${new URL(parleyUrl).host};`);
    site = swap(site, 'listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`);
    site = swap(site, 'listen [::]:443 ssl http2;', '');
    site = swap(site, 'listen 80;', `listen 127.0.0.1:${httpPort};`);
    site = swap(site, 'listen [::]:80;', '');
    site = swap(site, '/etc/letsencrypt/live/chat.example.com/fullchain.pem', path.join(dir, 'cert.pem'));
    site = swap(site, '/etc/letsencrypt/live/chat.example.com/privkey.pem', path.join(dir, 'key.pem'));
    site = swap(site, '/var/cache/nginx/parley', path.join(dir, 'cache'));
    await writeFile(path.join(dir, 'parley.conf'), site);
    // What /etc/nginx/nginx.conf provides around a conf.d file, in the temporary directory.
    const main = [
      process.getuid?.() === 0 ? 'user root;' : '',
      'daemon off;',
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      'events { worker_connections 512; }',
      'http {',
      `  access_log ${path.join(dir, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(dir, 'tmp', t)};`),
      `  proxy_bind ${PROXY_ADDRESS};`,
      `  include ${path.join(dir, 'parley.conf')};`,
      '}',
      '',
    ].join('\n');
    const conf = path.join(dir, 'nginx.conf');
    await writeFile(conf, main);
    const bin = nginxBinary();
    const args = ['-p', dir, '-c', conf, '-e', 'stderr'];
    const checked = spawnSync(bin, ['-t', ...args], { encoding: 'utf8' });
    assert.equal(checked.status, 0, `nginx -t refused the configuration:\n${checked.stderr}`);

    nginx = { log: '', child: null };
    nginx.child = spawnLogged(bin, args, (chunk) => {
      nginx.log += chunk;
    });
    let exited = null;
    nginx.child.once('exit', (code, signal) => {
      exited = `nginx exited (code ${code}, signal ${signal})`;
    });
    base = `https://127.0.0.1:${httpsPort}`;
    plainUrl = `http://127.0.0.1:${httpPort}`;
    await until(async () => {
      if (exited) throw new Error(`${exited}\n${nginx.log}`);
      return (await request(`${base}/healthz`)).status === 200;
    }, 'nginx answering /healthz', 10_000);

    browser = await launchBrowser();
    const context = () => browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'en-US', timezoneId: 'UTC', ignoreHTTPSErrors: true });
    agentCtx = await context();
    visitorCtx = await context();
    agent = await newPage(agentCtx, 'agent', dialogs);
    visitor = await newPage(visitorCtx, 'visitor', dialogs);
    await recordWidgetEvents(visitor);
    for (const [who, page] of [['agent', agent], ['visitor', visitor]]) {
      page.on('websocket', (ws) => {
        const entry = { url: ws.url(), closed: false };
        sockets[who].push(entry);
        ws.on('close', () => {
          entry.closed = true;
        });
      });
    }
  });

  after(async () => {
    await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
    await stopChild(nginx?.child, 'SIGQUIT');
    if (flow.broken && nginx) console.log(`--- nginx output ---\n${nginx.log.slice(-3000)}`);
  });

  step('plain HTTP is redirected to HTTPS', async () => {
    const r = await request(`${plainUrl}/inbox/?x=1`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, 'https://127.0.0.1/inbox/?x=1');
  });

  step("the widget's script is cacheable and cached; fingerprinted assets are immutable", async () => {
    const direct = await request(`${parleyUrl}/widget.js`);
    assert.equal(direct.headers['cache-control'], 'no-cache', 'Parley itself: a stable URL, revalidated');
    const first = await request(`${base}/widget.js`);
    const second = await request(`${base}/widget.js`);
    for (const r of [first, second]) {
      assert.equal(r.status, 200);
      assert.equal(r.headers['cache-control'], 'public, max-age=300');
      assert.match(r.headers['content-type'], /javascript/);
      assert.match(r.headers['strict-transport-security'], /max-age=/);
      assert.equal(r.body, readFileSync(path.join(distDir, 'widget.js'), 'utf8'));
    }
    assert.equal(second.headers['x-cache-status'], 'HIT', 'the second request is answered by nginx');

    const page = await request(`${base}/inbox/`);
    assert.equal(page.status, 200);
    assert.match(page.headers['content-security-policy'], /default-src/, "Parley's headers pass through");
    const asset = /(?:src|href)="(\/inbox\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    assert.ok(asset, 'the Inbox page names a fingerprinted script');
    await request(`${base}${asset}`);
    const cached = await request(`${base}${asset}`);
    assert.equal(cached.status, 200);
    assert.match(cached.headers['cache-control'], /immutable/);
    assert.equal(cached.headers['x-cache-status'], 'HIT');
  });

  step('the agent signs in through nginx; the cookie is Secure (X-Forwarded-Proto from the trusted proxy)', async () => {
    await signIn(agent, base, AGENT);
    const cookie = (await agentCtx.cookies(base)).find((c) => c.name === 'parley_session');
    assert.ok(cookie, 'the session cookie is set');
    assert.equal(cookie.secure, true);
    assert.equal(cookie.httpOnly, true);
    const toggle = agent.getByTestId('availability-toggle');
    if ((await toggle.getAttribute('data-state')) !== 'available') await toggle.click();
    await until(async () => (await toggle.getAttribute('data-state')) === 'available', 'the agent to be available');
    await agent.getByTestId('chat-empty').waitFor();
  });

  step('the visitor asks for a chat on the demo page and the agent accepts, all through nginx', async () => {
    await visitor.goto(`${base}/demo`);
    await visitor.getByTestId('widget-launcher').click();
    await requestChat(visitor, VISITOR);
    await visitor.getByTestId('widget-waiting').waitFor();
    await agent.getByTestId('request-banner').waitFor();
    assert.equal(await agent.getByTestId('request-visitor-name').textContent(), VISITOR.name);
    await agent.getByTestId('request-accept').click();
    await visitor.getByTestId('widget-composer').waitFor();
    await until(() => widgetEvent(visitor, 'chat-started'), 'parley:chat-started');
  });

  const say = async (from, input, to, bodies, text) => {
    await from.getByTestId(input).fill(text);
    await from.getByTestId(input).press('Enter');
    await until(async () => (await texts(to.getByTestId(bodies))).includes(text), `"${text}" to arrive`);
  };

  step('messages flow both ways over WebSockets through the proxy', async () => {
    await say(visitor, 'widget-input', agent, 'message-body', 'Hello through nginx');
    await say(agent, 'composer-input', visitor, 'widget-message-body', 'Hello back, over TLS');
    for (const who of ['agent', 'visitor']) {
      assert.ok(sockets[who].length >= 1, `${who} opened a WebSocket`);
      for (const s of sockets[who]) assert.equal(s.url, `${base.replace('https', 'wss')}/ws`);
    }
    await shot(agent, 'nginx-agent');
    await shot(visitor, 'nginx-visitor');
  });

  step('the sockets survive a quiet spell: the same ones carry the next messages', async () => {
    const opened = { agent: sockets.agent.length, visitor: sockets.visitor.length };
    await new Promise((r) => setTimeout(r, 4000));
    await say(visitor, 'widget-input', agent, 'message-body', 'Still there?');
    await say(agent, 'composer-input', visitor, 'widget-message-body', 'Still here.');
    for (const who of ['agent', 'visitor']) {
      assert.equal(sockets[who].length, opened[who], `${who} did not reconnect`);
      assert.equal(sockets[who].filter((s) => !s.closed).length >= 1, true, `${who} has an open socket`);
    }
    const sides = await agent.getByTestId('message').evaluateAll((els) => els.map((e) => e.getAttribute('data-sender')));
    assert.deepEqual(sides, ['visitor', 'agent', 'visitor', 'agent']);
    assert.deepEqual(dialogs, []);
  });

  step("the server uses the browser's address from X-Forwarded-For, and only from the proxy it trusts", async () => {
    // Through nginx, with a forged X-Forwarded-For nginx replaces: every attempt counts
    // against 127.0.0.1, the address nginx saw (the agent's sign-in already used one).
    let refusedAt = 0;
    for (let n = 1; n <= LOGINS_PER_IP + 1 && !refusedAt; n++) {
      const r = await badLogin(base, n, { headers: { 'X-Forwarded-For': `198.51.100.${n}` } });
      if (r.status === 429) refusedAt = n;
      else assert.equal(r.status, 401, r.body);
    }
    assert.equal(refusedAt, LOGINS_PER_IP, 'the per-address login limit is reached by the forwarded address');
    // Not counted against the proxy's own address: a request from 127.0.0.2 itself (trusted,
    // no X-Forwarded-For, so it is its own client) still gets an answer.
    assert.equal((await badLogin(parleyUrl, 100, { localAddress: PROXY_ADDRESS })).status, 401);
    // Counted against 127.0.0.1: the browser's address, straight to Parley, is refused, and an
    // X-Forwarded-For from that untrusted peer changes nothing.
    assert.equal((await badLogin(parleyUrl, 101, { localAddress: '127.0.0.1' })).status, 429);
    const forged = await badLogin(parleyUrl, 102, { localAddress: '127.0.0.1', headers: { 'X-Forwarded-For': '203.0.113.9' } });
    assert.equal(forged.status, 429);
    // nginx's access log has the browser's address, as Parley took it.
    assert.match(await readFile(path.join(dataDir, 'nginx', 'access.log'), 'utf8'), /^127\.0\.0\.1 /m);
  });
}
