// End-to-end through a real load balancer: two `parley serve` nodes on one PostgreSQL and one
// Redis bus, HAProxy in front, the agent and the visitor on different nodes. The agent's node is
// killed (`kill -9`) mid-chat; the agent's socket reconnects through HAProxy to the other node
// and both sides keep chatting, every message shown once and in order on both sides.
//   PARLEY_BIN=/path/to/parley node --test e2e/cluster.test.mjs
// Needs PostgreSQL 15, Redis and HAProxy from Debian (scripts/bootstrap.sh installs them). They
// are started here in a temporary directory (scripts/local_servers.sh, as `make cluster` does)
// and stopped, with the nodes and HAProxy, even when a step fails. Without them the file is
// skipped, except in CI (`CI` set), where that is a failure.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  agentAndVisitor,
  cleanup,
  freePort,
  launchBrowser,
  ParleyServer,
  PARLEY_BIN,
  prepare,
  requestChat,
  run,
  scenario,
  signIn,
  sleep,
  spawnLogged,
  stopChild,
  texts,
  until,
  webDir,
} from './helpers.mjs';

const LOCAL_SERVERS = path.resolve(webDir, '..', 'scripts', 'local_servers.sh');
const PG_CTL = '/usr/lib/postgresql/15/bin/pg_ctl'; // where local_servers.sh takes it from
const onPath = (cmd) => (process.env.PATH ?? '').split(':').some((d) => d && existsSync(path.join(d, cmd)));
const missing = [
  !existsSync(PG_CTL) && `PostgreSQL 15 (${PG_CTL})`,
  !onPath('redis-server') && 'redis-server',
  !onPath('haproxy') && 'haproxy',
].filter(Boolean);

if (missing.length) {
  const why = `the cluster test needs ${missing.join(', ')}: not installed (scripts/bootstrap.sh installs them)`;
  if (process.env.CI) test('cluster prerequisites', () => assert.fail(why));
  else test('cluster: agent and visitor on different nodes behind HAProxy', { skip: why }, () => {});
} else {
  defineScenario();
}

function defineScenario() {
  const VISITOR = { name: 'Nina Node', email: 'nina@example.com' };

  let dir; // everything lives here: servers/ (PostgreSQL, Redis), node1/, node2/, haproxy.cfg
  let serversDir;
  let serversStopped = false;
  const nodes = [];
  let lb; // HAProxy: { child, log, stop() }
  let agentUrl, visitorUrl; // the two frontends of the one HAProxy
  let browser, agent, visitor;
  let ALICE;
  let conversationId;
  const agentSockets = [];
  const visitorSockets = [];
  const dialogs = [];
  const flow = scenario('cluster', () => [agent, visitor]);
  const { step } = flow;

  /** Every WebSocket the page opens: when it said hello (the server's first frame), when it closed. */
  function trackSockets(page, list) {
    page.on('websocket', (ws) => {
      const s = { url: ws.url(), opened: Date.now(), hello: 0, closed: 0 };
      list.push(s);
      ws.on('framereceived', ({ payload }) => {
        if (s.hello || typeof payload !== 'string') return;
        try {
          if (JSON.parse(payload).type === 'hello') s.hello = Date.now();
        } catch {
          /* not JSON */
        }
      });
      ws.on('close', () => {
        s.closed = Date.now();
      });
    });
  }

  /**
   * HAProxy's access log (see the log-format below): one line per request as soon as the node
   * answered (`option logasap`, so an upgraded WebSocket is logged at its 101, not when it ends).
   */
  const lbRequests = () =>
    [...lb.log.matchAll(/^(\w+) (\w+)\/(\S+) (\d+) (\S+) (\S+) retries=/gm)].map(([, frontend, backend, server, status, method, p]) => ({
      frontend,
      backend,
      server,
      status: Number(status),
      method,
      path: p,
    }));
  /** The WebSockets HAProxy upgraded for one side, in order: the node of each. */
  const socketsVia = (frontend) =>
    lbRequests()
      .filter((r) => r.frontend === frontend && r.path === '/ws' && r.status === 101)
      .map((r) => r.server);
  /** The nodes that answered `METHOD path` (their own access log, "http" lines). */
  const nodesThatServed = (method, p) =>
    nodes
      .map((n, i) => ({ n, i }))
      .filter(({ n }) => n.log.split('\n').some((l) => l.includes('"msg":"http"') && l.includes(`"method":"${method}"`) && l.includes(`"path":"${p}"`)))
      .map(({ i }) => `node${i + 1}`);

  async function startHaproxy(ports) {
    const [agentPort, visitorPort] = [await freePort(), await freePort()];
    // Why two frontends: a load balancer without sticky sessions puts each connection wherever it
    // likes, and this test must know that the agent and the visitor are on different nodes, and
    // which node the agent is on, to kill that one. So the same HAProxy listens twice, once per
    // side (each browser context uses its own address): the agent's frontend sends everything to
    // node1 while node1 is healthy, the visitor's to node2, each with the other node as `backup`.
    // Killing node1 then exercises exactly what a real balancer does: the health check (and
    // `observe layer4`, which marks a node down at its first refused connection instead of waiting
    // for the next check) takes node1 out, and the agent's reconnecting socket goes to node2.
    // Within each backend there is one server in use at a time, so there is nothing to balance;
    // the rest (http mode, /healthz, `timeout tunnel`, maxconn) is scripts/cluster.sh's config.
    const server = (name, port, backup) =>
      `  server ${name} 127.0.0.1:${port} check inter 1s fastinter 200ms downinter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down${backup ? ' backup' : ''}`;
    const cfg = [
      'global',
      '  # This machine caps a process at 20,000 open files; each proxied connection takes two.',
      '  maxconn 9000',
      '  log stdout format raw local0',
      'defaults',
      '  mode http',
      '  log global',
      '  option logasap',
      '  # frontend backend/node status method path, then retries and connect/response times (ms)',
      '  log-format "%ft %b/%s %ST %HM %HP retries=%rc Tc=%Tc Tr=%Tr"',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  # WebSockets: an open socket is a tunnel once upgraded.',
      '  timeout tunnel 1h',
      '  option forwardfor',
      '  retries 2',
      '  option redispatch',
      '  option httpchk GET /healthz',
      '  http-check expect status 200',
      'frontend agent_side',
      `  bind 127.0.0.1:${agentPort}`,
      '  default_backend agent_nodes',
      'frontend visitor_side',
      `  bind 127.0.0.1:${visitorPort}`,
      '  default_backend visitor_nodes',
      'backend agent_nodes',
      server('node1', ports[0], false),
      server('node2', ports[1], true),
      'backend visitor_nodes',
      server('node2', ports[1], false),
      server('node1', ports[0], true),
      '',
    ].join('\n');
    const cfgPath = path.join(dir, 'haproxy.cfg');
    await writeFile(cfgPath, cfg);
    const proxy = { log: '', child: null };
    proxy.child = spawnLogged('haproxy', ['-f', cfgPath, '-db'], (chunk) => {
      proxy.log += chunk;
    });
    proxy.stop = () => stopChild(proxy.child);
    let exited = null;
    proxy.child.once('exit', (code, signal) => {
      exited = `haproxy exited (code ${code}, signal ${signal})`;
    });
    lb = proxy;
    const urls = [`http://127.0.0.1:${agentPort}`, `http://127.0.0.1:${visitorPort}`];
    for (const url of urls) {
      await until(async () => {
        if (exited) throw new Error(`${exited}\n${proxy.log}`);
        return (await fetch(`${url}/healthz`)).status === 200;
      }, `HAProxy answering /healthz on ${url}`, 10_000);
    }
    return urls;
  }

  before(async () => {
    dir = await prepare();
    await chmod(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach servers/
    serversDir = path.join(dir, 'servers');
    // PostgreSQL and Redis run as daemons: if this process ends without its after() hook, stop
    // them on the way out (the nodes and HAProxy are killed by helpers.mjs).
    process.on('exit', () => {
      if (!serversStopped) spawnSync('bash', [LOCAL_SERVERS, 'stop', serversDir], { timeout: 20_000 });
    });
    await run('bash', [LOCAL_SERVERS, 'start', serversDir], 60_000);
    const db = `postgresql://parley@/postgres?host=${serversDir}&port=5432`;
    const bus = `unix://${serversDir}/redis.sock`;
    await run(PARLEY_BIN, ['migrate', '--db', db], 60_000);
    for (const n of [1, 2]) {
      const data = path.join(dir, `node${n}`);
      await mkdir(data);
      const args = ['--db', db, '--bus', bus, '--node-id', `node${n}`, '--trusted-proxy', '127.0.0.1'];
      if (n === 1) args.push('--demo'); // node 1 seeds the demo accounts, as `make cluster` does
      const node = new ParleyServer(data, args);
      nodes.push(node);
      await node.start();
    }
    ALICE = nodes[0].demoAccounts().find((a) => a.email === 'alice@parley.local');
    assert.ok(ALICE, `node1 printed no demo account for alice@parley.local:\n${nodes[0].out}`);
    [agentUrl, visitorUrl] = await startHaproxy(nodes.map((n) => Number(new URL(n.url).port)));
    browser = await launchBrowser();
    ({ agent, visitor } = await agentAndVisitor(browser, dialogs));
    trackSockets(agent, agentSockets);
    trackSockets(visitor, visitorSockets);
  });

  after(async () => {
    try {
      await cleanup({ browser, servers: [...nodes, lb], broken: flow.broken });
    } finally {
      if (serversDir) await run('bash', [LOCAL_SERVERS, 'stop', serversDir], 60_000).catch((e) => console.log(`# ${e.message}`));
      serversStopped = true;
      if (dir) await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  });

  // -------------------------------------------------------------------------------------

  const sent = []; // every message, in the order sent: [sender, text]
  const fromVisitor = (text) => sent.push(['visitor', text]) && text;
  const fromAgent = (text) => sent.push(['agent', text]) && text;
  const agentBodies = () => texts(agent.getByTestId('message-body'));
  const widgetBodies = () => texts(visitor.getByTestId('widget-message-body'));

  async function visitorSays(text) {
    await visitor.getByTestId('widget-input').fill(fromVisitor(text));
    await visitor.getByTestId('widget-input').press('Enter');
  }
  async function agentSays(text) {
    await agent.getByTestId('composer-input').fill(fromAgent(text));
    await agent.getByTestId('composer-input').press('Enter');
  }
  const seenBy = async (page, text, what) =>
    until(async () => (await (page === agent ? agentBodies() : widgetBodies())).includes(text), `"${text}" in ${what}`);

  /**
   * `check` (assertions) passes within 3 s: a log line may reach this process a moment after the
   * browser saw the answer it belongs to. Throws the last failed assertion, with the logs.
   */
  async function settled(check, what) {
    const end = Date.now() + 3000;
    for (;;) {
      try {
        return check();
      } catch (err) {
        if (Date.now() > end) {
          err.message += `\n--- ${what}; HAProxy log ---\n${lb.log}`;
          throw err;
        }
      }
      await sleep(100);
    }
  }

  /** Both sides show exactly what was sent, once each, in order, nothing left pending. */
  async function bothShowEverything(timeout) {
    const want = sent.map(([, t]) => t);
    for (const [page, bodies, what] of [
      [agent, agentBodies, 'the inbox'],
      [visitor, widgetBodies, 'the widget'],
    ]) {
      await until(
        async () => (await page.locator('[data-pending="true"]').count()) === 0 && JSON.stringify(await bodies()) === JSON.stringify(want),
        `${what} to show the ${want.length} messages once each, in order`,
        timeout,
      ).catch(async (err) => {
        err.message += `\n  shown: ${JSON.stringify(await bodies())}\n  sent:  ${JSON.stringify(want)}`;
        throw err;
      });
    }
    const sides = await agent.getByTestId('message').evaluateAll((els) => els.map((e) => e.getAttribute('data-sender')));
    assert.deepEqual(sides, sent.map(([s]) => s), 'who sent each message, as the inbox shows it');
  }

  step('the agent signs in through the load balancer (its node: node1) and goes available', async () => {
    await signIn(agent, agentUrl, ALICE);
    const toggle = agent.getByTestId('availability-toggle');
    if ((await toggle.getAttribute('data-state')) !== 'available') await toggle.click();
    await until(async () => (await toggle.getAttribute('data-state')) === 'available', 'the toggle to show Available');
    await until(() => agentSockets.some((s) => s.hello && !s.closed), "the agent's socket to say hello");
  });

  step('the visitor asks for a chat through the load balancer (node2); the agent on node1 accepts', async () => {
    await visitor.goto(`${visitorUrl}/demo`);
    await visitor.getByTestId('widget-launcher').click();
    await requestChat(visitor, VISITOR);
    await visitor.getByTestId('widget-waiting').waitFor();
    // The request is stored by node2; its banner reaches the agent on node1 over the Redis bus.
    await agent.getByTestId('request-banner').waitFor();
    assert.equal(await agent.getByTestId('request-visitor-name').textContent(), VISITOR.name);
    await agent.getByTestId('request-accept').click();
    await until(async () => (await agent.getByTestId('chat-visitor-name').textContent()) === VISITOR.name, 'the chat header');
    conversationId = await agent.getByTestId('conversation-row').first().getAttribute('data-conversation-id');
    assert.match(conversationId ?? '', /^\d+$/);
    await visitor.getByTestId('widget-composer').waitFor();
    await until(() => visitorSockets.some((s) => s.hello && !s.closed), "the visitor's socket to say hello");
  });

  step('the agent and the visitor really are on different nodes', async () => {
    assert.equal(agentSockets.length, 1, 'the agent opened one socket');
    assert.equal(visitorSockets.length, 1, 'the visitor opened one socket');
    // What HAProxy says: it upgraded the agent's WebSocket on node1, the visitor's on node2.
    await settled(() => {
      assert.deepEqual(socketsVia('agent_side'), ['node1'], "the agent's sockets, by node");
      assert.deepEqual(socketsVia('visitor_side'), ['node2'], "the visitor's sockets, by node");
    }, 'the HAProxy log');
    // What the nodes say (their own access logs): the login was answered by node1 only, the
    // visitor's chat request by node2 only, the accept by node1 only.
    await settled(() => {
      assert.deepEqual(nodesThatServed('POST', '/api/v1/auth/login'), ['node1']);
      assert.deepEqual(nodesThatServed('POST', '/api/v1/visitor/chats'), ['node2']);
      assert.deepEqual(nodesThatServed('POST', `/api/v1/conversations/${conversationId}/accept`), ['node1']);
    }, 'the nodes\' access logs');
  });

  step('messages flow both ways across the nodes', async () => {
    await visitorSays('Hi, is anyone there?');
    await seenBy(agent, 'Hi, is anyone there?', 'the inbox');
    await agentSays('Hello Nina, Alice here. How can I help?');
    await seenBy(visitor, 'Hello Nina, Alice here. How can I help?', 'the widget');
    await visitorSays('Can I export reports as CSV?');
    await seenBy(agent, 'Can I export reports as CSV?', 'the inbox');
    await agentSays('Yes, from every report page.');
    await seenBy(visitor, 'Yes, from every report page.', 'the widget');
    await bothShowEverything();
  });

  let killedAt = 0;
  step("the agent's node is killed: its socket reconnects through HAProxy to node2, the visitor's stays", async () => {
    const onNode1 = agentSockets.filter((s) => !s.closed);
    assert.equal(onNode1.length, 1, 'one open agent socket before the kill');
    killedAt = Date.now();
    await nodes[0].kill(); // kill -9 of node1
    // The visitor (on node2, untouched) writes while the agent is cut off: the agent's socket
    // must pick it up when it resumes on node2 (it subscribes after the last seq it holds).
    await visitorSays('Sorry, my connection blinked. Still there?');
    await until(() => onNode1[0].closed, "the agent's socket on node1 to close", 10_000);
    const fresh = await until(() => agentSockets.find((s) => s.opened >= killedAt && s.hello), "the agent's new socket to say hello", 20_000);
    console.log(`# the agent's socket was back ${fresh.hello - killedAt} ms after the kill (closed after ${onNode1[0].closed - killedAt} ms)`);
    // HAProxy took node1 out and upgraded the agent's new socket on node2 (as many sockets as
    // the page opened: each attempt that reached a node is in the log).
    await settled(() => {
      assert.match(lb.log, /Server agent_nodes\/node1 is DOWN/, 'HAProxy took node1 out');
      const agentVia = socketsVia('agent_side');
      assert.equal(agentVia.length, agentSockets.filter((s) => s.hello).length, 'one upgrade per socket that said hello');
      assert.deepEqual(agentVia, ['node1', ...agentVia.slice(1).map(() => 'node2')], "the agent's sockets, by node");
      assert.equal(agentVia.at(-1), 'node2');
    }, 'the HAProxy log');
    // The visitor's socket on node2 never dropped.
    assert.equal(visitorSockets.length, 1, "the visitor's socket was not replaced");
    assert.equal(visitorSockets[0].closed, 0, "the visitor's socket stayed open");
    assert.deepEqual(socketsVia('visitor_side'), ['node2']);
    // The Inbox says it is connected again (no "Reconnecting…").
    await agent.getByTestId('connection-state').waitFor({ state: 'detached', timeout: 10_000 });
    await seenBy(agent, 'Sorry, my connection blinked. Still there?', 'the inbox (resumed on node2)');
  });

  step('after the failover both keep chatting: every message once, in order, on both sides', async () => {
    await agentSays('Still here, my server just moved.');
    await seenBy(visitor, 'Still here, my server just moved.', 'the widget');
    await visitorSays('Great. And PDF?');
    await seenBy(agent, 'Great. And PDF?', 'the inbox');
    await agentSays('PDF too, on the Growth plan.');
    await seenBy(visitor, 'PDF too, on the Growth plan.', 'the widget');
    await bothShowEverything();
    // A moment later still nothing doubled (a late replay would show up here).
    await sleep(500);
    await bothShowEverything();
    assert.equal(agentSockets.filter((s) => !s.closed).length, 1, 'one open agent socket');
    assert.deepEqual(dialogs, [], 'no alert() ran');
    // Node2 now serves the agent's side too.
    assert.equal((await fetch(`${agentUrl}/healthz`)).status, 200);
    console.log(`# ${sent.length} messages, the last one ${Date.now() - killedAt} ms after the kill`);
  });
}
