// The small things a team trips over (issue 13): leaving Settings with unsaved changes asks first
// (the Inbox's own links, the browser's Back, signing out); durations read as a person says them
// ("1 min 40 s", not "100 seconds = 1 minute"); limits in characters or KB, never bytes; an agent
// with no working hours is told so, with the way to Settings; and one clock on every screen (the
// Inbox in 24-hour time even in a US-English browser: message times, notes, the visitor's history,
// the toggle, Settings).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, httpCall, launchBrowser, newContext, newPage, scenario, shot, signIn, startServer, until } from './helpers.mjs';

const ADMIN = { name: 'Alice Admin', email: 'alice@example.com', password: 'alice-pass-1', role: 'admin' };

let dataDir, server, baseUrl, browser, agent;
const dialogs = [];
const flow = scenario('details', () => [agent]);
const { step } = flow;
const id = (t) => agent.getByTestId(t);

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([ADMIN]));
  browser = await launchBrowser();
  agent = await newPage(await newContext(browser, 1280, 860), 'agent', dialogs);
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

step('no working hours: the toggle says so and points to Settings', async () => {
  await signIn(agent, baseUrl, ADMIN);
  const toggle = id('availability-toggle');
  await until(async () => (await toggle.textContent()).trim() === 'Unavailable — no working hours set', 'the toggle to say there are no working hours');
  assert.match(await toggle.getAttribute('title'), /Set your working hours in Settings/);
  await id('set-working-hours').click();
  await id('settings-form').waitFor();
  assert.equal(new URL(agent.url()).pathname, '/inbox/settings');
});

step('leaving Settings with a changed field asks first: Stay keeps the change, Leave drops it (links, Back, sign out)', async () => {
  const maxChats = id('settings-max-chats');
  const saved = await maxChats.inputValue();
  await maxChats.fill('7');

  // The top bar's Inbox link.
  await id('open-inbox').click();
  const dialog = id('leave-dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Leave without saving\?/);
  assert.equal(await agent.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'leave-stay', 'Stay has the focus');
  await shot(agent, 'd01-leave-unsaved');
  await id('leave-stay').click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(new URL(agent.url()).pathname, '/inbox/settings', 'still on Settings');
  assert.equal(await maxChats.inputValue(), '7', 'the change is still there');

  // Another Settings tab, and the browser's Back (to the Inbox page the sign-in started on).
  await id('nav-calendar').click();
  await dialog.waitFor();
  await id('leave-stay').click();
  await agent.goBack();
  await dialog.waitFor();
  await id('leave-stay').click();
  assert.equal(new URL(agent.url()).pathname, '/inbox/settings', 'Back was held');
  assert.equal(await maxChats.inputValue(), '7');

  // Signing out.
  await id('logout').click();
  await dialog.waitFor();
  await id('leave-stay').click();
  assert.ok(await id('settings-form').isVisible(), 'still signed in');

  // Leave without saving: the Inbox, and the field is back to what is saved.
  await id('open-inbox').click();
  await id('leave-confirm').click();
  await id('conversation-search').waitFor();
  await id('open-settings').click();
  await id('settings-form').waitFor();
  assert.equal(await maxChats.inputValue(), saved, 'the unsaved change was dropped');

  // Nothing changed: leaving does not ask.
  await id('open-meetings').click();
  await id('meetings-page').waitFor();
  assert.equal(await dialog.count(), 0);
});

step('durations as a person says them, limits in characters', async () => {
  await id('open-settings').click();
  await id('nav-workspace').click();
  await id('admin-settings-form').waitFor();
  const span = id('admin-accept-timeout-span');
  await until(async () => (await span.textContent()) === '= 1 min 40 s', 'the 100 s default as "1 min 40 s"');
  for (const [value, text] of [
    ['90', '= 1 min 30 s'],
    ['45', '= 45 s'],
    ['3600', '= 1 h'],
    ['3725', '= 1 h 2 min 5 s'],
  ]) {
    await id('admin-accept-timeout').fill(value);
    assert.equal(await span.textContent(), text, `${value} seconds`);
  }
  assert.equal(await id('admin-inactivity-timeout-span').textContent(), '= 10 min');

  const count = id('admin-fallback-count');
  await id('admin-fallback').fill('Sorry, nobody is free. We will email you.');
  assert.match(await count.textContent(), /^41 characters \(about 1,000 characters at most\)/);
  await id('admin-fallback').fill('å'.repeat(600)); // 600 characters, 1200 bytes
  assert.match(await count.textContent(), /^600 characters: too long, about 1,000 characters at most/);
  await id('admin-save').click();
  assert.match(await id('admin-error').textContent(), /Fallback message: too long, about 1,000 characters at most\./);
  assert.doesNotMatch(await agent.locator('main').textContent(), /bytes/i, 'no limit in bytes on the page');
  await id('admin-discard').click();
});

step('one clock: the Inbox says 24-hour times everywhere in a US-English browser', async () => {
  // A visitor asks over the API; A goes available and accepts.
  await id('open-inbox').click(); // nothing unsaved (discarded): no question
  await id('conversation-search').waitFor();
  await id('availability-toggle').click();
  await until(async () => (await id('availability-toggle').getAttribute('data-state')) === 'available', 'A available');
  const session = await httpCall(baseUrl, 'POST', '/visitor/session', { body: {} });
  const token = session.body.visitor_token;
  const chat = await httpCall(baseUrl, 'POST', '/visitor/chats', { token, body: { name: 'Vera Visitor', email: 'vera@example.com', page_url: 'https://example.com/pricing' } });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  await id('request-accept').click();
  await id('composer-input').fill('Hello!');
  await id('composer-send').click();
  await httpCall(baseUrl, 'POST', `/visitor/chats/${chat.body.conversation.id}/messages`, { token, body: { client_id: 'v-clock-1', body: 'Hi there' } });
  await until(async () => (await agent.locator('[data-testid="message"][data-sender="visitor"]').count()) === 1, 'the visitor message');
  await id('activity-item').first().waitFor();

  const hhmm = /^\d{2}:\d{2}/;
  const metas = await agent.locator('.msg-meta').evaluateAll((els) => els.map((e) => e.textContent));
  assert.ok(metas.length >= 2 && metas.every((t) => hhmm.test(t)), `message times in 24-hour form: ${JSON.stringify(metas)}`);
  const notes = await agent.locator('.system-note time').evaluateAll((els) => els.map((e) => e.textContent));
  assert.ok(notes.length && notes.every((t) => hhmm.test(t)), `note times: ${JSON.stringify(notes)}`);
  const activity = await id('activity-time').first().textContent();
  assert.match(activity, /, \d{2}:\d{2}$/, 'the visitor history');
  assert.match(await id('availability-toggle').textContent(), /until (midnight|\d{2}:\d{2}|\w{3} \d{2}:\d{2})/);
  const clocks12 = /\b\d{1,2}:\d{2}\s?(AM|PM)\b/i;
  assert.doesNotMatch(await agent.locator('.app').textContent(), clocks12, 'no 12-hour time on the Inbox screen');
  await id('open-settings').click();
  await id('settings-zone-now').waitFor();
  assert.match(await id('settings-zone-now').textContent(), /^Now \d{2}:\d{2} on \w+day$/);
  assert.doesNotMatch(await agent.locator('.app').textContent(), clocks12, 'no 12-hour time in Settings');
});
