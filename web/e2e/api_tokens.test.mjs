// End-to-end for API tokens (issue 14): an admin creates a token on the Team page and sees its
// secret once; a server calls the API with it and reaches its scope's route, not another's;
// the list shows the last use; the admin revokes it (after a confirmation) and the server is
// refused from the next request on.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoSeriousA11yViolations, cleanup, httpCall, launchBrowser, newContext, newPage, scenario, shot, signIn, startServer, until } from './helpers.mjs';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse 9', role: 'admin' };

let dataDir, server, baseUrl, browser, admin;
let secret;
const dialogs = [];
const flow = scenario('api-tokens', () => [admin]);
const { step } = flow;
const http = (method, apiPath, opts) => httpCall(baseUrl, method, apiPath, opts);

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([ADMIN]));
  browser = await launchBrowser();
  admin = await newPage(await newContext(browser, 1440, 900), 'admin', dialogs);
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

step('the admin creates a token with one scope and sees its secret once', async () => {
  await signIn(admin, baseUrl, ADMIN, '/inbox/settings/team');
  const card = admin.getByTestId('api-tokens');
  await card.scrollIntoViewIfNeeded();
  assert.equal(await admin.getByTestId('api-token-create').isDisabled(), true, 'no name, no scope: nothing to create');
  await admin.getByTestId('api-token-name').fill('CRM sync');
  await admin.getByTestId('api-token-scope-people:read').check();
  await admin.getByTestId('api-token-create').click();
  await admin.getByTestId('api-token-secret').waitFor();
  secret = (await admin.locator('[data-testid="api-token-secret"] code').textContent()).trim();
  assert.match(secret, /^pt_[A-Za-z0-9_-]{40,}$/);
  const row = admin.getByTestId('api-token-row');
  await until(async () => (await row.count()) === 1, 'the token in the list');
  const text = await row.textContent();
  assert.ok(text.includes('CRM sync') && text.includes('people:read') && text.includes(secret.slice(0, 11)), text);
  assert.ok(!text.includes(secret), 'the list never shows the secret');
  await assertNoSeriousA11yViolations(admin, 'API tokens card', ['[data-testid="api-tokens"]']);
  await shot(admin, 'api-token-created');
  await admin.reload();
  await admin.getByTestId('api-token-row').waitFor();
  assert.equal(await admin.getByTestId('api-token-secret').count(), 0, 'shown once: gone after a reload');
});

step('a server calls the API with the token: its scope answers, another scope is refused', async () => {
  const person = await http('GET', '/admin/people?email=nobody@example.com', { token: secret });
  assert.equal(person.status, 404, JSON.stringify(person.body)); // reached: no such person
  const write = await http('PUT', '/admin/people', { token: secret, body: { email: 'lead@example.com', name: 'Lena' } });
  assert.equal(write.status, 403);
  assert.match(write.body.error.message, /people:write/);
  assert.equal((await http('GET', '/conversations', { token: secret })).status, 403);
  await admin.reload();
  await until(async () => (await admin.getByTestId('api-token-row').getAttribute('data-last-used')) !== '', 'last use shown');
});

step('the admin revokes the token after confirming, and the server is refused', async () => {
  await admin.getByTestId('api-token-revoke').click();
  await admin.getByTestId('api-token-revoke-dialog').waitFor();
  await admin.getByTestId('api-token-revoke-cancel').click();
  assert.equal((await http('GET', '/admin/people?email=nobody@example.com', { token: secret })).status, 404, 'cancel keeps it');
  await admin.getByTestId('api-token-revoke').click();
  await admin.getByTestId('api-token-revoke-confirm').click();
  await until(async () => (await admin.getByTestId('api-token-row').getAttribute('data-revoked')) === 'true', 'shown revoked');
  assert.equal((await http('GET', '/admin/people?email=nobody@example.com', { token: secret })).status, 401);
  assert.deepEqual(dialogs, []);
});
