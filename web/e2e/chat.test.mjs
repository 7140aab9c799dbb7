// End-to-end: a real Parley server, the built Inbox and widget, Debian's Chromium.
//   PARLEY_BIN=/path/to/parley npm run e2e      (default: ../build/parley relative to web/)
// The server gets its own temporary data dir; it is stopped (SIGTERM) even when a step fails.
// Shared plumbing (server, browser, waits, steps) lives in helpers.mjs.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { agentAndVisitor, cleanup, waitForLoginForm, launchBrowser, scenario, shot, startServer, texts, until, widgetEvent } from './helpers.mjs';

const AGENT = { name: 'Alice Agent', email: 'alice@example.com', password: 'correct horse 1' };
const VISITOR = { name: 'Vera Visitor', email: 'vera@example.com', job: 'Head of Data' };
const XSS = '<img src=x onerror=alert(1)>';

let dataDir;
let server;
let baseUrl;
let browser;
let agent, visitor;
const dialogs = [];
const flow = scenario('chat', () => [agent, visitor]);
const { step } = flow;

// ---------------------------------------------------------------------------------------

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([AGENT]));
  browser = await launchBrowser();
  ({ agent, visitor } = await agentAndVisitor(browser, dialogs));
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

// ---------------------------------------------------------------------------------------

step('agent signs in (a wrong password is refused) and goes available', async () => {
  await agent.goto(`${baseUrl}/inbox/`);
  await waitForLoginForm(agent);
  await agent.getByTestId('login-email').fill(AGENT.email);
  await agent.getByTestId('login-password').fill('wrong password');
  await agent.getByTestId('login-submit').click();
  await agent.getByTestId('login-error').waitFor();
  assert.match(await agent.getByTestId('login-error').textContent(), /wrong email or password/i);
  await shot(agent, '01-login-error');

  await agent.getByTestId('login-password').fill(AGENT.password);
  await agent.getByTestId('login-submit').click();
  const toggle = agent.getByTestId('availability-toggle');
  await toggle.waitFor();
  assert.equal(await agent.getByTestId('agent-name').textContent(), AGENT.name);
  if ((await toggle.getAttribute('data-state')) !== 'available') await toggle.click();
  await until(async () => (await toggle.getAttribute('data-state')) === 'available', 'the toggle to show Available');
  // A new agent has no schedule, so going available is an override (until midnight in their zone).
  assert.match(await toggle.textContent(), /^Available( — override until .+| \(override\))?$/);
  await agent.getByTestId('chat-empty').waitFor();
  await shot(agent, '02-inbox-empty');
});

step('visitor opens the widget on the demo page and asks for an agent', async () => {
  await visitor.goto(`${baseUrl}/demo`);
  await visitor.getByTestId('widget-launcher').click();
  await visitor.getByTestId('prechat-form').waitFor();
  // Required fields are checked before anything is sent.
  await visitor.getByTestId('prechat-submit').click();
  await visitor.getByTestId('prechat-name-error').waitFor();
  await visitor.getByTestId('prechat-name').fill(VISITOR.name);
  await visitor.getByTestId('prechat-email').fill(VISITOR.email);
  await visitor.getByTestId('prechat-job-title').fill(VISITOR.job);
  await shot(visitor, '03-widget-form');
  await visitor.getByTestId('prechat-submit').click();
  await visitor.getByTestId('widget-waiting').waitFor();
  assert.match(await visitor.getByTestId('widget-waiting').textContent(), /Connecting you to an agent/);
  await shot(visitor, '04-widget-waiting');
  const token = await visitor.evaluate(() => localStorage.getItem('parley.visitor_token'));
  assert.ok(token, 'the visitor token is kept in localStorage');
  await until(() => widgetEvent(visitor, 'chat-requested'), 'parley:chat-requested');
});

step('agent sees the request banner and accepts', async () => {
  const banner = agent.getByTestId('request-banner');
  await banner.waitFor();
  assert.equal(await agent.getByTestId('request-visitor-name').textContent(), VISITOR.name);
  assert.equal(await agent.getByTestId('request-visitor-email').textContent(), VISITOR.email);
  await shot(agent, '05-inbox-request-banner');
  await agent.getByTestId('request-accept').click();
  await banner.waitFor({ state: 'detached' });
  await until(async () => (await agent.getByTestId('chat-visitor-name').textContent()) === VISITOR.name, 'the chat header');
  assert.match(await agent.getByTestId('chat-page-url').textContent(), /\/demo/);
  const row = agent.getByTestId('conversation-row');
  await until(async () => (await row.count()) === 1, 'one conversation row');
  assert.match(await row.textContent(), new RegExp(VISITOR.name));
  assert.equal(await row.getAttribute('data-status'), 'active');

  await visitor.getByTestId('widget-composer').waitFor();
  await until(() => widgetEvent(visitor, 'chat-started'), 'parley:chat-started');
});

const visitorLines = ['Hi! Does the Growth plan include SSO?', XSS];
const agentLines = ['Hello Vera, thanks for reaching out.\nSSO is part of Enterprise; I can set up a call.', '<b>not bold</b>'];

step('messages flow both ways and stay text (no HTML is run)', async () => {
  const vInput = visitor.getByTestId('widget-input');
  const aInput = agent.getByTestId('composer-input');
  const agentBodies = agent.getByTestId('message-body');
  const widgetBodies = visitor.getByTestId('widget-message-body');

  await vInput.fill(visitorLines[0]);
  await vInput.press('Enter');
  await until(async () => (await texts(agentBodies)).includes(visitorLines[0]), 'the visitor message in the inbox');

  // Shift+Enter is a newline, Enter sends.
  const [first, second] = agentLines[0].split('\n');
  await aInput.click();
  await aInput.pressSequentially(first);
  await aInput.press('Shift+Enter');
  await aInput.pressSequentially(second);
  await aInput.press('Enter');
  await until(async () => (await texts(widgetBodies)).includes(agentLines[0]), 'the agent reply in the widget');

  await vInput.fill(visitorLines[1]);
  await vInput.press('Enter');
  await until(async () => (await texts(agentBodies)).includes(visitorLines[1]), 'the second visitor message in the inbox');
  await aInput.fill(agentLines[1]);
  await aInput.press('Enter');
  for (const line of [...visitorLines, ...agentLines]) {
    await until(async () => (await texts(agentBodies)).includes(line), `"${line}" in the inbox`);
    await until(async () => (await texts(widgetBodies)).includes(line), `"${line}" in the widget`);
  }
  // Nothing left pending once acknowledged.
  await until(async () => (await agent.locator('[data-pending="true"]').count()) === 0, 'no pending bubble in the inbox');
  await until(async () => (await visitor.locator('[data-pending="true"]').count()) === 0, 'no pending bubble in the widget');

  assert.equal(await agent.locator('[data-testid="message-list"] img, [data-testid="message-list"] b').count(), 0, 'no element created in the inbox');
  assert.equal(await visitor.locator('[data-testid="widget-messages"] img, [data-testid="widget-messages"] b').count(), 0, 'no element created in the widget');
  assert.deepEqual(dialogs, [], 'no alert() ran');

  const sides = await agent.getByTestId('message').evaluateAll((els) => els.map((e) => e.getAttribute('data-sender')));
  assert.deepEqual(sides, ['visitor', 'agent', 'visitor', 'agent']);
  await shot(visitor, '06-widget-chat');
});

step('visitor information shows "-" for what is unknown', async () => {
  const field = (id) => agent.getByTestId(id).textContent();
  await until(async () => (await field('visitor-email')) === VISITOR.email, 'the visitor email');
  assert.equal(await field('visitor-name'), VISITOR.name);
  assert.equal(await field('visitor-job-title'), VISITOR.job);
  assert.equal(await field('visitor-phone'), '-');
  const crm = await field('visitor-crm-status');
  assert.ok(crm && crm.trim() && !/null|undefined/.test(crm), `CRM status shown as "${crm}"`);
  assert.ok((await agent.getByTestId('activity-item').count()) >= 1, 'the visitor activity list is shown');
  await agent.getByTestId('composer-input').fill('Let me check that for you…');
  await shot(agent, 'inbox-active-chat');
  await agent.getByTestId('composer-input').fill('');
});

step('reloading both pages shows the whole history, nothing doubled', async () => {
  const all = [...visitorLines, ...agentLines];
  await agent.reload();
  await until(async () => (await texts(agent.getByTestId('message-body'))).length === all.length, `${all.length} messages in the inbox after reload`);
  assert.deepEqual((await texts(agent.getByTestId('message-body'))).sort(), [...all].sort());
  assert.equal(await agent.getByTestId('availability-toggle').getAttribute('data-state'), 'available');

  await visitor.reload();
  const panel = visitor.getByTestId('widget-panel');
  await visitor.getByTestId('widget-launcher').waitFor();
  if (!(await panel.isVisible())) await visitor.getByTestId('widget-launcher').click();
  await until(async () => (await texts(visitor.getByTestId('widget-message-body'))).length === all.length, `${all.length} messages in the widget after reload`);
  assert.deepEqual((await texts(visitor.getByTestId('widget-message-body'))).sort(), [...all].sort());

  // Still live after the reload, both ways.
  await visitor.getByTestId('widget-input').fill('Still there?');
  await visitor.getByTestId('widget-input').press('Enter');
  await until(async () => (await texts(agent.getByTestId('message-body'))).includes('Still there?'), 'a message after reload');
  await agent.getByTestId('composer-input').fill('Yes, right here.');
  await agent.getByTestId('composer-input').press('Enter');
  await until(async () => (await texts(visitor.getByTestId('widget-message-body'))).includes('Yes, right here.'), 'a reply after reload');
});

step('server restart: both sides reconnect, messages sent meanwhile arrive exactly once', async () => {
  const port = new URL(baseUrl).port;
  await server.stop();
  const fromVisitor = 'Typed while the server was down';
  const fromAgent = 'Also typed during the outage';
  await visitor.getByTestId('widget-input').fill(fromVisitor);
  await visitor.getByTestId('widget-input').press('Enter');
  await agent.getByTestId('composer-input').fill(fromAgent);
  await agent.getByTestId('composer-input').press('Enter');
  await visitor.locator('[data-pending="true"]').first().waitFor();
  await agent.locator('[data-pending="true"]').first().waitFor();
  await agent.getByTestId('connection-state').waitFor(); // the inbox says it is reconnecting
  await shot(agent, '09-inbox-reconnecting');

  const again = await server.start(`127.0.0.1:${port}`);
  assert.equal(again, baseUrl);
  // Reconnect backoff is capped, so allow a little more than the usual few seconds here.
  const count = async (page, id, text) => (await texts(page.getByTestId(id))).filter((t) => t === text).length;
  for (const text of [fromVisitor, fromAgent]) {
    await until(async () => (await count(agent, 'message-body', text)) === 1 && (await agent.locator('[data-pending="true"]').count()) === 0, `"${text}" stored once in the inbox`, 20_000);
    await until(async () => (await count(visitor, 'widget-message-body', text)) === 1 && (await visitor.locator('[data-pending="true"]').count()) === 0, `"${text}" stored once in the widget`, 20_000);
  }
  await agent.getByTestId('connection-state').waitFor({ state: 'detached' });
  // A reload (fresh history from the server) shows each of them once, too.
  await agent.reload();
  await until(async () => (await count(agent, 'message-body', fromVisitor)) === 1 && (await count(agent, 'message-body', fromAgent)) === 1, 'the outage messages once after reload');
});

step('agent ends the session: the visitor sees it ended, it leaves the Active filter', async () => {
  const row = agent.getByTestId('conversation-row');
  const id = await row.first().getAttribute('data-conversation-id');
  await agent.getByTestId('end-session').click();
  await agent.getByTestId('end-session-confirm').click(); // it asks first (issue 13)
  await visitor.getByTestId('widget-ended').waitFor();
  assert.match(await visitor.getByTestId('widget-ended').textContent(), /This chat has ended/);
  assert.ok(await visitor.getByTestId('widget-new-chat').isVisible());
  await until(() => widgetEvent(visitor, 'chat-ended'), 'parley:chat-ended');
  await shot(visitor, '07-widget-ended');

  await until(async () => (await agent.getByTestId('chat-status').textContent()) === 'Ended', 'the chat to show Ended');
  assert.ok(await agent.getByTestId('composer-input').isDisabled(), 'the composer is disabled');
  assert.equal(await agent.getByTestId('end-session').count(), 0, 'no End session button on an ended chat');
  assert.equal(await agent.getByTestId('filter-active').getAttribute('aria-selected'), 'true');
  await until(async () => (await agent.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`).count()) === 0, 'the row to leave the Active list');

  await agent.getByTestId('filter-all').click();
  const ended = agent.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);
  await ended.waitFor();
  assert.equal(await ended.getAttribute('data-status'), 'ended');
  await shot(agent, '08-inbox-ended');

  // A fresh form for a new chat, prefilled.
  await visitor.getByTestId('widget-new-chat').click();
  await visitor.getByTestId('prechat-form').waitFor();
  assert.equal(await visitor.getByTestId('prechat-email').inputValue(), VISITOR.email);
});

step('with no agent available the visitor gets the fallback message, and the inbox stays quiet', async () => {
  const toggle = agent.getByTestId('availability-toggle');
  await toggle.click();
  await until(async () => (await toggle.getAttribute('data-state')) === 'unavailable', 'the toggle to show Unavailable');
  assert.match(await toggle.textContent(), /^Unavailable\b/);

  await visitor.getByTestId('prechat-name').fill(VISITOR.name);
  await visitor.getByTestId('prechat-submit').click();
  const missed = visitor.getByTestId('widget-missed-message');
  await missed.waitFor();
  const text = (await missed.textContent()).trim();
  assert.ok(text.length > 0 && !/null|undefined/.test(text), `fallback message shown: "${text}"`);
  await until(() => widgetEvent(visitor, 'chat-missed'), 'parley:chat-missed');
  // Nobody was available at all: that is not a timeout.
  assert.equal(await widgetEvent(visitor, 'chat-timed-out'), false, 'no parley:chat-timed-out without an offer');
  assert.equal(await visitor.getByTestId('widget-missed').getAttribute('data-reason'), 'no_agent');
  await shot(visitor, '10-widget-missed');

  await agent.getByTestId('filter-active').click();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await agent.getByTestId('request-banner').count(), 0, 'no request banner');
  assert.equal(await agent.getByTestId('conversation-row').count(), 0, 'no live chat in the Active list');
});
