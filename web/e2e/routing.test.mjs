// End-to-end for the admin Routing rules page (/inbox/settings/routing): account rules by hand and by
// CSV import (good and bad), a team, a custom rule to that team, the default team, persistence across a
// reload — and then that a real visitor request is routed by those rules (conversation.agent_id).
// One admin and two agents; the agents sign in and go available over the API (no browser needed).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, cleanup, httpCall, launchBrowser, openInboxSocket, newContext, newPage, scenario, shot, signIn, startServer, texts, until } from './helpers.mjs';

const ADMIN = { name: 'Rita Router', email: 'rita@example.com', password: 'correct horse 3', role: 'admin' };
const FIRST = { name: 'Fay First', email: 'fay@example.com', password: 'correct horse 4' };
const SECOND = { name: 'Sam <b>Second</b>', email: 'sam@example.com', password: 'correct horse 5' };
const TEAM = 'Enterprise <Sales>';

let dataDir;
let server;
let baseUrl;
let browser;
let page;
const sockets = [];  // the agents' Inbox sockets (online agents get the requests)
const dialogs = [];
const flow = scenario('routing', () => [page]);
const { step } = flow;

// ---- plain HTTP from the test process (agents and visitors) -----------------------------------

const http = (method, apiPath, opts) => httpCall(baseUrl, method, apiPath, opts);

/** Signs an agent in over the API, goes available, opens their Inbox socket, returns their id. */
async function signInAndGoAvailable(agent) {
  const login = await http('POST', '/auth/login', { body: { email: agent.email, password: agent.password } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  assert.match(cookie, /parley_session=/);
  const avail = await http('PUT', '/me/availability', { body: { available: true }, cookie });
  assert.equal(avail.status, 200, JSON.stringify(avail.body));
  assert.equal(avail.body.agent.status?.available ?? avail.body.agent.available, true);
  agent.cookie = cookie;
  agent.id = login.body.agent.id;
  sockets.push(await openInboxSocket(baseUrl, cookie));
  return agent.id;
}

/** A new visitor asks for a chat; returns the conversation from POST /visitor/chats. */
async function visitorChat(fields) {
  const session = await http('POST', '/visitor/session');
  assert.equal(session.status, 201, JSON.stringify(session.body));
  const chat = await http('POST', '/visitor/chats', { token: session.body.visitor_token, body: fields });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  return chat.body.conversation;
}

// ---- page helpers --------------------------------------------------------------------------------

const accountRows = () => page.getByTestId('account-row');
async function accountTriples() {
  return page.getByTestId('account-row').evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('[data-testid="account-kind"]').value, r.querySelector('[data-testid="account-value"]').value, Number(r.querySelector('[data-testid="account-agent"]').value)]),
  );
}
const selectedText = (locator) => locator.evaluate((s) => s.options[s.selectedIndex]?.textContent ?? '');
const getRouting = async () => {
  const res = await apiCall(page, 'GET', '/admin/routing');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.routing;
};

// ---------------------------------------------------------------------------------------------------

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([ADMIN, FIRST, SECOND]));
  browser = await launchBrowser();
  // Tall enough for the whole page in one screenshot (the settings column scrolls on its own).
  page = await newPage(await newContext(browser, 1440, 1760), 'admin', dialogs);
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken, sockets });
});

// ---------------------------------------------------------------------------------------------------

step('both agents sign in over the API and go available', async () => {
  await signInAndGoAvailable(FIRST);
  await signInAndGoAvailable(SECOND);
  assert.notEqual(FIRST.id, SECOND.id);
});

step('admin opens Settings → Routing rules: the routing order is explained, nothing is set yet', async () => {
  await signIn(page, baseUrl, ADMIN);
  await page.getByTestId('open-settings').click();
  await page.getByTestId('nav-routing').click();
  await page.locator('[data-testid="routing-page"][data-state="ready"]').waitFor();
  assert.equal(new URL(page.url()).pathname, '/inbox/settings/routing');
  assert.equal(await page.getByTestId('nav-routing').getAttribute('aria-current'), 'page');
  const order = (await page.getByTestId('routing-order').textContent()).replace(/\s+/g, ' ');
  for (const part of ['Account rules', 'Custom rules', 'Default team', 'Everyone', 'round robin', 'available', 'chat limit']) assert.ok(order.includes(part), `order text has "${part}": ${order}`);
  await page.getByTestId('account-empty').waitFor();
  assert.equal(await page.getByTestId('account-count').textContent(), '0');
  // Nothing changed yet: Save is disabled. The agent list (with the escaped name) is loaded.
  assert.equal(await page.getByTestId('routing-save').isDisabled(), true);
  await page.getByTestId('routing-add-team').click();
  const chips = page.getByTestId('routing-team-member');
  await until(async () => (await chips.count()) === 3, 'three agents to choose from');
  assert.ok((await texts(page.locator('.member-chips .chip'))).some((t) => t.includes(SECOND.name)), 'the name is shown as text, tags and all');
  assert.equal(await page.locator('.member-chips b').count(), 0, 'no markup from an agent name');
  await page.getByTestId('routing-team-remove').click();
  assert.equal(await page.getByTestId('routing-team').count(), 0);
  assert.equal(await page.getByTestId('routing-save').isDisabled(), true);
});

step('an account rule domain acme.test → the second agent is added and saved', async () => {
  await page.getByTestId('add-account').click();
  const row = accountRows().last();
  await row.getByTestId('account-kind').selectOption('domain');
  // Missing value and agent: the page says so and does not send anything.
  await page.getByTestId('routing-save').click();
  await page.getByTestId('routing-error').waitFor();
  assert.match(await page.getByTestId('routing-error').textContent(), /Account rule 1 needs a domain/);
  assert.equal(await row.getByTestId('account-value').getAttribute('aria-invalid'), 'true');
  assert.deepEqual((await getRouting()).accounts, []);

  await row.getByTestId('account-value').fill('acme.test');
  await row.getByTestId('account-agent').selectOption(String(SECOND.id));
  await page.getByTestId('routing-save').click();
  await page.getByTestId('routing-saved').waitFor();
  assert.equal(await page.getByTestId('routing-error').count(), 0);
  assert.deepEqual((await getRouting()).accounts, [{ kind: 'domain', value: 'acme.test', agent_id: SECOND.id }]);
  assert.equal(await page.getByTestId('account-count').textContent(), '1');
});

step('CSV import from a file: "Imported 1 rule", and the list is reloaded', async () => {
  // As a spreadsheet app saves it: byte-order mark, header line, CRLF.
  const csv = `\uFEFFkind,value,agent_email\r\ncompany,Globex,${FIRST.email}\r\n`;
  await page.getByTestId('csv-file').setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await until(async () => (await page.getByTestId('csv-text').inputValue()).includes('company,Globex'), 'the file to show in the paste area');
  await page.getByTestId('csv-import-submit').click();
  await page.getByTestId('csv-result').waitFor();
  assert.match(await page.getByTestId('csv-result').textContent(), /Imported 1 rule\b/);
  assert.equal(await page.getByTestId('csv-text').inputValue(), '');
  await until(async () => (await accountRows().count()) === 2, 'two account rows after the import');
  assert.deepEqual(await accountTriples(), [
    ['domain', 'acme.test', SECOND.id],
    ['company', 'globex', FIRST.id],
  ]);
  assert.equal(await page.getByTestId('routing-save').isDisabled(), true, 'an import is saved already, nothing left to save');
});

step('a bad CSV line shows the server error naming the line, and nothing is imported', async () => {
  await page.getByTestId('csv-text').fill(`company,Initech,${FIRST.email}\nteam,Initech,${FIRST.email}\n`);
  await page.getByTestId('csv-import-submit').click();
  await page.getByTestId('csv-error').waitFor();
  const err = await page.getByTestId('csv-error').textContent();
  assert.match(err, /line 2/);
  assert.match(err, /kind must be domain or company/);
  assert.equal(await page.getByTestId('csv-result').count(), 0);
  assert.equal((await getRouting()).accounts.length, 2, 'all or nothing: line 1 was not imported either');
  assert.equal(await accountRows().count(), 2);
  await page.getByTestId('csv-import').scrollIntoViewIfNeeded();
  await shot(page, 'r02-csv-error');

  // An unknown agent email is named too.
  await page.getByTestId('csv-text').fill(`domain,initech.test,nobody@example.com`);
  await page.getByTestId('csv-import-submit').click();
  await until(async () => /no agent with email nobody@example\.com \(line 1\)/.test(await page.getByTestId('csv-error').textContent()), 'the unknown-agent error');
  await page.getByTestId('csv-text').fill('');
});

step('a team with the second agent, a custom rule job_title contains cto → that team, and the default team are saved', async () => {
  await page.getByTestId('routing-add-team').click();
  const team = page.getByTestId('routing-team').last();
  await team.getByTestId('routing-team-name').fill(TEAM);
  await team.locator(`[data-testid="routing-team-member"][data-agent-id="${SECOND.id}"]`).check();

  await page.getByTestId('add-rule').click();
  const rule = page.getByTestId('custom-rule').last();
  assert.equal(await rule.getByTestId('rule-priority').inputValue(), '10');
  const cond = rule.getByTestId('rule-condition').first();
  await cond.getByTestId('condition-attribute').selectOption('job_title');
  await cond.getByTestId('condition-op').selectOption('contains');
  await cond.getByTestId('condition-value').fill('cto');
  // No target yet: refused on the page, with the reason.
  await page.getByTestId('routing-save').click();
  await until(async () => /Custom rule 1: choose the agent or team/.test((await page.getByTestId('routing-error').textContent()) ?? ''), 'the missing-target message');
  assert.deepEqual((await getRouting()).custom, []);

  const teamOption = await rule.getByTestId('rule-target').locator('option', { hasText: `Team: ${TEAM}` }).getAttribute('value');
  await rule.getByTestId('rule-target').selectOption(teamOption);
  const defaultOption = await page.getByTestId('routing-default-team').locator('option', { hasText: TEAM }).getAttribute('value');
  await page.getByTestId('routing-default-team').selectOption(defaultOption);
  assert.match(await page.getByTestId('routing-order').textContent(), /Enterprise <Sales>, round robin/);

  await page.getByTestId('routing-save').click();
  await page.getByTestId('routing-saved').waitFor();
  const routing = await getRouting();
  assert.deepEqual(routing.teams, [{ name: TEAM, members: [SECOND.id] }]);
  assert.deepEqual(routing.custom, [{ priority: 10, conditions: [{ attribute: 'job_title', op: 'contains', value: 'cto' }], agent_id: null, team: TEAM }]);
  assert.equal(routing.default_team, TEAM);
  assert.equal(routing.accounts.length, 2);
});

step('after a reload everything is still there', async () => {
  await page.reload();
  await page.locator('[data-testid="routing-page"][data-state="ready"]').waitFor();
  await until(async () => (await page.getByTestId('routing-team-member').count()) === 3, 'the agent list');
  assert.deepEqual(await accountTriples(), [
    ['domain', 'acme.test', SECOND.id],
    ['company', 'globex', FIRST.id],
  ]);
  assert.equal(await page.getByTestId('routing-team').count(), 1);
  const team = page.getByTestId('routing-team').first();
  assert.equal(await team.getByTestId('routing-team-name').inputValue(), TEAM);
  assert.equal(await team.locator(`[data-testid="routing-team-member"][data-agent-id="${SECOND.id}"]`).isChecked(), true);
  assert.equal(await team.locator(`[data-testid="routing-team-member"][data-agent-id="${FIRST.id}"]`).isChecked(), false);
  assert.equal(await selectedText(page.getByTestId('routing-default-team')), TEAM);

  assert.equal(await page.getByTestId('custom-rule').count(), 1);
  const rule = page.getByTestId('custom-rule').first();
  assert.equal(await rule.getByTestId('rule-priority').inputValue(), '10');
  assert.equal(await rule.getByTestId('rule-condition').count(), 1);
  assert.equal(await rule.getByTestId('condition-attribute').inputValue(), 'job_title');
  assert.equal(await rule.getByTestId('condition-op').inputValue(), 'contains');
  assert.equal(await rule.getByTestId('condition-value').inputValue(), 'cto');
  assert.equal(await selectedText(rule.getByTestId('rule-target')), `Team: ${TEAM}`);
  assert.equal(await page.getByTestId('routing-save').isDisabled(), true, 'nothing to save after a reload');
  assert.deepEqual(dialogs, []);
  await shot(page, 'r01-routing-page');
});

step('routing took effect: visitors are offered to the agents the rules name', async () => {
  // Account rule (domain) → the second agent.
  const acme = await visitorChat({ name: 'Jo Acme', email: 'jo@acme.test' });
  assert.equal(acme.status, 'pending');
  assert.equal(acme.agent_id, SECOND.id, `jo@acme.test offered to ${acme.agent_name}`);
  // Account rule (company, from the CSV) → the first agent.
  const globex = await visitorChat({ name: 'Gus Globex', email: 'gus@globex-mail.test', company: 'GLOBEX' });
  assert.equal(globex.agent_id, FIRST.id, `company Globex offered to ${globex.agent_name}`);
  // Custom rule: job title contains "cto" → the team (only the second agent).
  const cto = await visitorChat({ name: 'Cleo', email: 'cleo@elsewhere.test', job_title: 'CTO' });
  assert.equal(cto.agent_id, SECOND.id, `a CTO offered to ${cto.agent_name}`);
  // Nothing matches → the default team (only the second agent), not the first agent by round robin.
  const plain = await visitorChat({ name: 'Pat Plain', email: 'pat@nowhere.test' });
  assert.equal(plain.agent_id, SECOND.id, `an unmatched visitor offered to ${plain.agent_name}`);
});
