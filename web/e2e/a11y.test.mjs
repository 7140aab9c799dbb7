// Accessibility (issue 13): axe-core finds no serious or critical problem (colour contrast, names,
// roles, labels, …) on any screen a person uses — the sign-in page, the Inbox with a live chat,
// every Settings tab, Meetings, the widget's form and chat (inside its shadow root), the meeting
// page — and the Inbox works from the keyboard alone: Tab reaches the availability toggle, a
// conversation, the message box and End session, each with a visible focus outline; End session
// asks first, and Esc keeps the chat.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoSeriousA11yViolations,
  bookMeeting,
  cleanup,
  launchBrowser,
  newContext,
  newPage,
  requestChat,
  scenario,
  signIn,
  startServer,
  until,
  waitForLoginForm,
} from './helpers.mjs';

const ADMIN = { name: 'Alice Admin', email: 'alice@example.com', password: 'alice-pass-1', role: 'admin' };
const VISITOR = { name: 'Vera Visitor', email: 'vera@example.com' };

let dataDir, server, baseUrl, browser;
let agent, visitor;
let convId;
let manageToken;
const dialogs = [];
const flow = scenario('a11y', () => [agent, visitor]);
const { step } = flow;

const widget = (id) => visitor.getByTestId(id);

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([ADMIN]));
  browser = await launchBrowser();
  agent = await newPage(await newContext(browser, 1280, 860), 'agent', dialogs);
  visitor = await newPage(await newContext(browser, 1280, 820), 'visitor', dialogs);
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

step('the sign-in page (with its error shown)', async () => {
  await agent.goto(`${baseUrl}/inbox/`);
  await waitForLoginForm(agent);
  await agent.getByTestId('login-email').fill(ADMIN.email);
  await agent.getByTestId('login-password').fill('not the password');
  await agent.getByTestId('login-submit').click();
  await agent.getByTestId('login-error').waitFor();
  await assertNoSeriousA11yViolations(agent, 'the sign-in page');
});

step('the widget: its pre-chat form (with field errors), then its chat', async () => {
  await signIn(agent, baseUrl, ADMIN);
  await agent.getByTestId('availability-toggle').click();
  await until(async () => (await agent.getByTestId('availability-toggle').getAttribute('data-state')) === 'available', 'A available');

  await visitor.goto(`${baseUrl}/demo`);
  await widget('widget-launcher').click();
  await widget('prechat-submit').click(); // empty: the field errors show
  await widget('prechat-name-error').waitFor();
  // The demo page around it is a deliberately loud stranger's site: only the widget is checked.
  await assertNoSeriousA11yViolations(visitor, 'the widget form', ['parley-chat']);

  await requestChat(visitor, VISITOR);
  await agent.getByTestId('request-banner').waitFor();
  await assertNoSeriousA11yViolations(agent, 'the Inbox with a request banner');
  await agent.getByTestId('request-accept').click();
  await agent.getByTestId('chat-pane').waitFor();
  convId = Number(await agent.getByTestId('chat-pane').getAttribute('data-conversation-id'));
  await agent.getByTestId('composer-input').fill('Hello Vera! How can I help?');
  await agent.getByTestId('composer-send').click();
  await widget('widget-chat').waitFor();
  await widget('widget-input').fill('Do you have a plan for a team of twelve?');
  await widget('widget-send').click();
  await until(async () => (await agent.getByTestId('message').count()) >= 2, 'both messages in the Inbox');
  await until(async () => (await widget('widget-message').count()) >= 2, 'both messages in the widget');
  await assertNoSeriousA11yViolations(visitor, 'the widget chat', ['parley-chat']);
});

step('the Inbox with the live chat open', async () => {
  await agent.getByTestId('visitor-panel').waitFor();
  await agent.getByTestId('activity-item').first().waitFor();
  await assertNoSeriousA11yViolations(agent, 'the Inbox with a live chat');
});

step('keyboard only: Tab reaches the toggle, a conversation, the message box and End session, each with a visible focus', async () => {
  await agent.goto(`${baseUrl}/inbox/#/c/${convId}`);
  await agent.getByTestId('composer-input').waitFor();
  await agent.getByTestId('visitor-panel').waitFor();
  // Start from the top of the page, as after a fresh load (a click on the logo, which is not a control).
  await agent.locator('.brand').click();
  const wanted = ['availability-toggle', 'conversation-row', 'composer-input', 'end-session'];
  const seen = [];
  const focus = () =>
    agent.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const ring = el.closest('.composer-row');
      return {
        id: el.getAttribute('data-testid') ?? el.tagName.toLowerCase(),
        focusVisible: el.matches(':focus-visible'),
        outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
        // The message box shows its focus on the box around it (the ring of the composer row).
        ring: ring ? getComputedStyle(ring).boxShadow !== 'none' : false,
      };
    });
  for (let i = 0; i < 80 && seen.filter((s) => wanted.includes(s.id)).length < wanted.length; i++) {
    await agent.keyboard.press('Tab');
    const f = await focus();
    if (f && !seen.some((s) => s.id === f.id)) seen.push(f);
  }
  const order = seen.map((s) => s.id).filter((id) => wanted.includes(id));
  assert.deepEqual(order, wanted, `the Tab order reaches them in this order (focused: ${seen.map((s) => s.id).join(', ')})`);
  for (const s of seen.filter((x) => wanted.includes(x.id))) {
    assert.ok(s.focusVisible, `${s.id} matches :focus-visible`);
    assert.ok(s.id === 'composer-input' ? s.ring : s.outline, `${s.id} shows its focus (${JSON.stringify(s)})`);
  }

  // End session from the keyboard: it asks first, with the safe answer focused; Esc keeps the chat.
  await agent.keyboard.press('Enter');
  const dialog = agent.getByTestId('end-session-dialog');
  await dialog.waitFor();
  assert.equal(await agent.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'end-session-cancel', 'Keep chatting has the focus');
  await assertNoSeriousA11yViolations(agent, 'the End session question');
  await agent.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await agent.getByTestId('chat-status').textContent(), 'Active', 'Esc kept the chat');
  assert.equal(await agent.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'end-session', 'the focus is back on End session');
});

step('every Settings tab', async () => {
  await agent.getByTestId('open-settings').click();
  for (const [nav, ready] of [
    ['nav-my-settings', 'settings-form'],
    ['nav-calendar', 'calendar-form'],
    ['nav-team', 'team-table'],
    ['nav-workspace', 'admin-settings-form'],
    ['nav-routing', 'routing-order'],
  ]) {
    await agent.getByTestId(nav).click();
    await agent.getByTestId(ready).waitFor();
    await assertNoSeriousA11yViolations(agent, `Settings (${nav})`);
  }
});

step('Meetings, with a booked meeting, and the visitor’s meeting page', async () => {
  const booked = await bookMeeting(baseUrl, agent, 'sam@example.com');
  manageToken = booked.manage_token;
  await agent.getByTestId('open-meetings').click();
  await agent.getByTestId('meeting-row').first().waitFor();
  await assertNoSeriousA11yViolations(agent, 'Meetings');

  await visitor.goto(`${baseUrl}/meeting/#${manageToken}`);
  await visitor.getByTestId('manage-meeting').waitFor();
  await assertNoSeriousA11yViolations(visitor, 'the meeting page');
});
