// End-to-end for the rate limits as a person meets them (issue 11, docs/api.md "Limits"): the
// server is started with tiny limits so that a few tries reach them. The Inbox's sign-in form and
// the widget's pre-chat form say what happened and when to try again (from retry_after_ms),
// instead of the server's raw wording.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, httpCall, launchBrowser, newContext, newPage, recordWidgetEvents, requestChat, scenario, startServer, waitForLoginForm } from './helpers.mjs';

const A = { name: 'Alice Agent', email: 'alice@example.com', password: 'correct horse 7' };

let dataDir;
let server;
let baseUrl;
let browser;
let alice, visitor;
const dialogs = [];
const flow = scenario('limits', () => [alice, visitor]);
const { step } = flow;

before(async () => {
  // Tiny limits on purpose: 3 logins and 1 chat request per address per minute.
  ({ dataDir, server, baseUrl } = await startServer([A], { serveArgs: ['--rate-limit', 'login-per-ip=3/60', '--rate-limit', 'chat-requests-per-ip=1/60'] }));
  browser = await launchBrowser();
  alice = await newPage(await newContext(browser, 1280, 800), 'alice', dialogs);
  visitor = await newPage(await newContext(browser, 1280, 820), 'visitor', dialogs);
  await recordWidgetEvents(visitor);
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

step('the sign-in form: after 3 tries a minute, "Too many sign-in attempts" with the wait', async () => {
  await alice.goto(`${baseUrl}/inbox/`);
  await waitForLoginForm(alice);
  await alice.getByTestId('login-email').fill(A.email);
  const error = alice.getByTestId('login-error');
  for (let i = 0; i < 3; i++) {
    await alice.getByTestId('login-password').fill(`wrong password ${i}`);
    await alice.getByTestId('login-submit').click();
    await alice.getByText('Wrong email or password.').waitFor();
    // The next try starts from a cleared message.
    await alice.getByTestId('login-password').fill('');
  }
  await alice.getByTestId('login-password').fill(A.password);
  await alice.getByTestId('login-submit').click();
  await alice.getByText(/^Too many sign-in attempts\. Try again in \d+ seconds?\.$/).waitFor();
  const seconds = Number(/in (\d+) second/.exec(await error.textContent())[1]);
  assert.ok(seconds >= 1 && seconds <= 60, `a wait within the minute (${seconds} s)`);
  assert.equal(await alice.getByTestId('availability-toggle').count(), 0, 'not signed in');
});

step('the widget: a second chat request from the same address is refused with the wait', async () => {
  // The address's one request of the minute, made by someone else.
  const session = await httpCall(baseUrl, 'POST', '/visitor/session', { body: {} });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  const first = await httpCall(baseUrl, 'POST', '/visitor/chats', { token: session.body.visitor_token, body: { name: 'First', email: 'first@limits.test' } });
  assert.equal(first.status, 201, JSON.stringify(first.body));

  await visitor.goto(`${baseUrl}/demo`);
  await visitor.getByTestId('widget-launcher').click();
  await requestChat(visitor, { name: 'Second Visitor', email: 'second@limits.test' });
  await visitor.getByText(/^Too many chat requests right now\. Please try again in \d+ seconds?\.$/).waitFor();
  // Still the form (nothing was requested): the visitor can send it again later.
  await visitor.getByTestId('prechat-form').waitFor();
  assert.equal(await visitor.getByTestId('widget-waiting').isVisible(), false, 'not waiting for an agent');
  assert.equal(await visitor.evaluate(() => window.__parleyEvents?.length ?? 0), 0, 'no parley:chat-requested');
});
