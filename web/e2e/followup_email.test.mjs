// End-to-end for the follow-up email of a missed chat (issue 13), against a real SMTP server on a
// loopback port (smtp_sink.mjs): before a mail server is set up the claimer's buttons are off with
// the reason; the admin sets one up in Settings (the password is never shown back) and sends a
// test email; the claimer emails the transcript and writes a reply, each arriving from the team to
// the visitor, and the chat shows each email as it goes out; a server that refuses gives a clear
// error and nothing is logged in the chat.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, cleanup, httpCall, launchBrowser, newContext, newPage, scenario, signIn, startServer, until } from './helpers.mjs';
import { bodyText, header, startSmtpSink } from './smtp_sink.mjs';

const ADA = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse 21', role: 'admin' };
const BOB = { name: 'Bob Agent', email: 'bob@example.com', password: 'correct horse 22' };

let dataDir;
let server;
let baseUrl;
let browser;
let ada;
let bob;
let sink;
let refusing;
let conversationId;
const dialogs = [];
const flow = scenario('followup-email', () => [ada, bob]);
const { step } = flow;

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([ADA, BOB]));
  sink = await startSmtpSink();
  refusing = await startSmtpSink({ refuse: { RCPT: '550 5.1.1 relay-secret-7 mailbox unavailable' } });
  browser = await launchBrowser();
  ada = await newPage(await newContext(browser, 1440, 900), 'ada', dialogs);
  bob = await newPage(await newContext(browser, 1440, 900), 'bob', dialogs);
});

after(async () => {
  await sink?.close();
  await refusing?.close();
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

const emailNotes = (page) => page.locator('[data-testid="system-note"][data-kind="followup.emailed"]');

step('a missed chat is claimed; without a mail server the email buttons are off with the reason', async () => {
  await signIn(ada, baseUrl, ADA);
  await signIn(bob, baseUrl, BOB);
  const session = await httpCall(baseUrl, 'POST', '/visitor/session');
  const chat = await httpCall(baseUrl, 'POST', '/visitor/chats', {
    token: session.body.visitor_token,
    body: { name: 'Vera Visitor', email: 'vera@example.com', question: 'Do you ship to Norway?' },
  });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  assert.equal(chat.body.conversation.status, 'missed');
  conversationId = chat.body.conversation.id;
  await bob.getByTestId('filter-missed').click();
  await bob.locator('[data-status="missed"]').first().click();
  await bob.getByTestId('followup-claim').click();
  const box = bob.getByTestId('followup-email');
  await box.waitFor();
  await until(async () => (await box.getAttribute('data-enabled')) === 'false' && (await bob.getByTestId('followup-email-off').count()) === 1, 'the reason to show');
  assert.match(await bob.getByTestId('followup-email-off').textContent(), /Email is not set up/);
  assert.equal(await bob.getByTestId('followup-email-transcript').isDisabled(), true);
  assert.equal(await bob.getByTestId('followup-email-write').isDisabled(), true);
});

step('the admin sets up the mail server in Settings; the password is never shown back; a test email arrives', async () => {
  await ada.goto(`${baseUrl}/inbox/settings/workspace`);
  const form = ada.getByTestId('email-settings-form');
  await form.waitFor();
  assert.equal(await ada.getByTestId('email-test').isDisabled(), true, 'nothing to test before a server is saved');
  await ada.getByTestId('email-host').fill('127.0.0.1');
  await ada.getByTestId('email-security').selectOption('none');
  await ada.getByTestId('email-port').fill(String(sink.port));
  await ada.getByTestId('email-user').fill('');
  await ada.getByTestId('email-password').fill('not-shown-again');
  await ada.getByTestId('email-from-address').fill('support@acme.test');
  await ada.getByTestId('email-from-name').fill('Acme Support');
  await ada.getByTestId('email-save').click();
  await ada.getByTestId('email-saved').waitFor();
  assert.equal(await ada.getByTestId('email-password').inputValue(), '', 'the password field is empty again');
  assert.match(await ada.getByTestId('email-password-state').textContent(), /A password is saved/);
  const api = await apiCall(ada, 'GET', '/admin/email');
  assert.equal(api.body.email.password_set, true);
  assert.ok(!JSON.stringify(api.body).includes('not-shown-again'), 'no API answer carries the password');
  // No user: the password is not needed; clear it again so the test sends without AUTH.
  await ada.getByTestId('email-password-clear').click();
  await ada.getByTestId('email-save').click();
  await until(async () => /No password saved/.test(await ada.getByTestId('email-password-state').textContent()), 'the password to be removed');

  await ada.getByTestId('email-test').click();
  const result = ada.getByTestId('email-test-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-ok'), 'true', await result.textContent());
  const mail = await sink.next(0);
  assert.deepEqual(mail.to, ['ada@example.com']);
  assert.equal(header(mail, 'Subject'), 'Parley test email');
});

step('the claimer emails the transcript: it arrives from the team, and the chat shows it for everyone', async () => {
  // The Inbox asks whether email is set up when the chat's follow-up opens: open it again.
  await bob.reload();
  await bob.getByTestId('availability-toggle').waitFor();
  await bob.getByTestId('filter-missed').click();
  await bob.locator('[data-status="missed"]').first().click();
  const box = bob.getByTestId('followup-email');
  await until(async () => (await box.getAttribute('data-enabled')) === 'true', 'the email buttons to turn on');
  await bob.getByTestId('followup-email-transcript').click();
  await bob.getByTestId('followup-email-sent').waitFor();
  assert.match(await bob.getByTestId('followup-email-sent').textContent(), /vera@example\.com/);
  const mail = await sink.next(1);
  assert.equal(mail.from, 'support@acme.test');
  assert.deepEqual(mail.to, ['vera@example.com']);
  assert.equal(header(mail, 'From'), '"Acme Support" <support@acme.test>');
  assert.equal(header(mail, 'To'), '"Vera Visitor" <vera@example.com>');
  assert.equal(header(mail, 'Subject'), 'Transcript of your chat with Acme Support');
  const text = bodyText(mail);
  assert.match(text, /Do you ship to Norway\?/);
  assert.match(text, /Bob Agent\nAcme Support/);
  await until(async () => (await emailNotes(bob).count()) === 1, 'the chat to show the email');
  assert.match(await emailNotes(bob).first().textContent(), /Bob Agent emailed the transcript to vera@example\.com/);
  // Ada (another agent) sees it in the chat too.
  await ada.goto(`${baseUrl}/inbox/`);
  await ada.getByTestId('filter-missed').click();
  await ada.locator('[data-status="missed"]').first().click();
  await until(async () => (await emailNotes(ada).count()) === 1, 'Ada to see the email in the chat');
});

step('the claimer writes a reply with the transcript below it', async () => {
  await bob.getByTestId('followup-email-write').click();
  await bob.getByTestId('followup-email-body').fill('Yes, we ship to Norway.\n.\nBest regards');
  await bob.getByTestId('followup-email-with-transcript').check();
  await bob.getByTestId('followup-email-send').click();
  await until(async () => /reply was emailed/.test((await bob.getByTestId('followup-email-sent').textContent()) ?? ''), 'the reply to be sent');
  const mail = await sink.next(2);
  assert.equal(header(mail, 'Subject'), 'Reply to your message to Acme Support');
  const text = bodyText(mail);
  assert.ok(text.startsWith('Yes, we ship to Norway.\n.\nBest regards\n\n-- \nBob Agent'), text);
  assert.match(text, /Your chat with us:/);
  await until(async () => (await emailNotes(bob).count()) === 2, 'the chat to show the reply');
  assert.match(await emailNotes(bob).nth(1).textContent(), /Bob Agent emailed a reply to vera@example\.com/);
});

step('a server that refuses: a clear error, the server\'s words not shown, nothing logged in the chat', async () => {
  const saved = await apiCall(ada, 'PUT', '/admin/email', { port: refusing.port });
  assert.equal(saved.status, 200);
  await bob.getByTestId('followup-email-transcript').click();
  const error = bob.getByTestId('followup-email-error');
  await error.waitFor();
  assert.match(await error.textContent(), /could not send: the server refused the recipient/);
  assert.doesNotMatch(await error.textContent(), /relay-secret-7/);
  assert.equal(await emailNotes(bob).count(), 2, 'no new email in the chat');
  const events = await apiCall(bob, 'GET', `/conversations/${conversationId}/events`);
  assert.equal(events.body.events.filter((e) => e.kind === 'followup.emailed').length, 2);
});
