// End-to-end for webhooks (issue 14): an admin adds an endpoint on the Team page (URL and
// events; its secret is shown), a change Parley makes reaches a receiver on this machine
// (let through by the admin's allow-list) signed with that secret; the delivery log shows it
// and "Redeliver" sends the same event again; the admin disables, rotates and deletes.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { apiCall, assertNoSeriousA11yViolations, cleanup, launchBrowser, newContext, newPage, scenario, shot, signIn, startServer, until } from './helpers.mjs';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse 9', role: 'admin' };

let dataDir, server, baseUrl, browser, admin, receiver, receiverPort;
let secret;
const received = [];
const dialogs = [];
const flow = scenario('webhooks', () => [admin]);
const { step } = flow;

before(async () => {
  receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('received <b>ok</b>');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  receiverPort = receiver.address().port;
  ({ dataDir, server, baseUrl } = await startServer([ADMIN], { serveArgs: ['--webhook-retry-base', '20', '--webhook-poll', '50'] }));
  browser = await launchBrowser();
  admin = await newPage(await newContext(browser, 1440, 900), 'admin', dialogs);
});

after(async () => {
  receiver?.close();
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

const verifies = (r, key) =>
  r.headers['parley-webhook-signature'] === 'v1=' + createHmac('sha256', key).update(`${r.headers['parley-webhook-timestamp']}.`).update(r.raw).digest('hex');

step('the admin adds an endpoint with two events and sees its secret', async () => {
  await signIn(admin, baseUrl, ADMIN, '/inbox/settings/team');
  assert.equal((await apiCall(admin, 'PUT', '/admin/settings', { fetch_allowed_hosts: ['localhost'] })).status, 200);
  const card = admin.getByTestId('webhooks');
  await card.scrollIntoViewIfNeeded();
  assert.equal(await admin.getByTestId('webhook-create').isDisabled(), true, 'no URL, no event: nothing to add');
  await admin.getByTestId('webhook-url').fill(`http://localhost:${receiverPort}/parley`);
  await admin.getByTestId('webhook-event-person.updated').check();
  await admin.getByTestId('webhook-event-chat.ended').check();
  await admin.getByTestId('webhook-create').click();
  const row = admin.getByTestId('webhook-row');
  await until(async () => (await row.count()) === 1, 'the endpoint in the list');
  secret = (await admin.getByTestId('webhook-secret').textContent()).trim();
  assert.match(secret, /^whsec_[0-9a-f]{64}$/);
  const text = await row.textContent();
  assert.ok(text.includes('person.updated') && text.includes('chat.ended'), text);
  assert.equal(await row.getAttribute('data-active'), 'true');
  await assertNoSeriousA11yViolations(admin, 'Webhooks card', ['[data-testid="webhooks"]']);
  await shot(admin, 'webhooks-added');
});

step('a change reaches the receiver signed; the log shows it and Redeliver sends it again', async () => {
  const put = await apiCall(admin, 'PUT', '/admin/people', { email: 'lena@example.com', name: 'Lena <b>Lead</b>' });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  await until(async () => received.length === 1, 'the event at the receiver');
  const first = received[0];
  assert.ok(verifies(first, secret), 'the signature verifies with the secret shown');
  const body = JSON.parse(first.raw.toString());
  assert.equal(body.type, 'person.updated');
  assert.equal(body.data.person.name, 'Lena <b>Lead</b>');
  assert.equal(first.headers['parley-webhook-id'], body.id);
  await admin.getByTestId('webhook-log-toggle').click();
  const delivery = admin.getByTestId('webhook-delivery');
  await until(async () => (await delivery.count()) === 1, 'the delivery in the log');
  assert.equal(await delivery.getAttribute('data-status'), 'delivered');
  const line = await delivery.textContent();
  assert.ok(line.includes('person.updated') && line.includes('HTTP 200') && line.includes('received <b>ok</b>'), line);
  assert.equal(await admin.locator('[data-testid="webhook-log"] b').count(), 0, 'the answer is shown as text');
  await assertNoSeriousA11yViolations(admin, 'Webhook delivery log', ['[data-testid="webhooks"]']);
  await admin.getByTestId('webhook-redeliver').click();
  await until(async () => received.length === 2, 'the redelivery at the receiver');
  assert.equal(received[1].headers['parley-webhook-id'], body.id, 'the same event id');
  await shot(admin, 'webhooks-log');
});

step('the admin disables the endpoint, rotates its secret and deletes it after confirming', async () => {
  await admin.getByTestId('webhook-active').click(); // saved, then shown unchecked
  await until(async () => (await admin.getByTestId('webhook-row').getAttribute('data-active')) === 'false', 'shown disabled');
  await apiCall(admin, 'PUT', '/admin/people', { email: 'lena@example.com', name: 'Lena Changed' });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(received.length, 2, 'a disabled endpoint gets nothing');
  await admin.getByTestId('webhook-rotate').click();
  await until(async () => (await admin.getByTestId('webhook-secret').textContent()).trim() !== secret, 'a new secret');
  await admin.getByTestId('webhook-delete').click();
  await admin.getByTestId('webhook-delete-dialog').waitFor();
  await admin.getByTestId('webhook-delete-cancel').click();
  assert.equal(await admin.getByTestId('webhook-row').count(), 1, 'cancel keeps it');
  await admin.getByTestId('webhook-delete').click();
  await admin.getByTestId('webhook-delete-confirm').click();
  await until(async () => (await admin.getByTestId('webhook-row').count()) === 0, 'deleted');
  assert.deepEqual(dialogs, []);
});
