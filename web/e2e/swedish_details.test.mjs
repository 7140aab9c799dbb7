// End-to-end for the last English texts of the Swedish Inbox (issue 13), in a Swedish browser:
//   - Settings → Fördelningsregler is Swedish throughout: the order, the cards, the choices of a
//     custom rule and its messages ("Kontoregel 1 behöver en domän.");
//   - the visitors' hours card of Settings → Chattfördelning is Swedish;
//   - the request banner says on which page the visitor is in Swedish ("på …");
//   - the visitor's activity history: the server keeps the facts of a filled form and a booked
//     meeting (Activity.data) and the Inbox words them in Swedish, the meeting's time in the
//     agent's zone on the 24-hour clock ("Möte med …, tis 25 nov. 2026 14:00").
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, cleanup, httpCall, launchBrowser, newPage, scenario, shot, signIn, startServer, until } from './helpers.mjs';

const ADMIN = { name: 'Sigrid Admin', email: 'sigrid@example.se', password: 'correct horse 41', role: 'admin' };
const VISITOR = { name: 'Vera Besökare', email: 'vera@kund.se', job_title: 'VD', company: 'Acme AB' };
const ZONE = 'Europe/Stockholm';
const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

let dataDir, server, baseUrl, browser, sigrid;
let chatId, visitorToken, meetingStart;
const dialogs = [];
const flow = scenario('swedish', () => [sigrid]);
const { step } = flow;
const id = (testid) => sigrid.getByTestId(testid);
const flat = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ');

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([ADMIN]));
  browser = await launchBrowser();
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'sv-SE', timezoneId: ZONE });
  sigrid = await newPage(ctx, 'sigrid', dialogs);
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
  assert.deepEqual(dialogs, [], 'no unexpected alert/confirm dialogs');
});

step('in a Swedish browser the routing rules are Swedish: order, cards, choices and messages', async () => {
  await signIn(sigrid, baseUrl, ADMIN);
  assert.equal(await sigrid.evaluate(() => document.documentElement.lang), 'sv');
  const tz = await apiCall(sigrid, 'PUT', '/me/settings', { time_zone: ZONE });
  assert.equal(tz.status, 200, JSON.stringify(tz.body));
  await id('open-settings').click();
  await id('nav-routing').click();
  await sigrid.locator('[data-testid="routing-page"][data-state="ready"]').waitFor();
  const page = await flat(id('routing-page'));
  for (const part of ['Fördelningsregler', 'Kontoregler', 'Egna regler', 'Standardteam', 'i tur och ordning', 'Det första steget som passar avgör', 'Importera från CSV', '+ Lägg till team', '+ Lägg till kontoregel', '+ Lägg till regel', 'Inga kontoregler än'])
    assert.ok(page.includes(part), `"${part}" on the page`);
  for (const english of ['Account rules', 'Custom rules', 'Default team', 'round robin', 'Import from CSV', 'Add team', 'none yet']) assert.ok(!page.includes(english), `no "${english}" left`);

  // An account rule without a domain: the message is Swedish.
  await id('add-account').click();
  assert.deepEqual(await id('account-kind').locator('option').allTextContents(), ['E-postdomän', 'Företag']);
  await id('routing-save').click();
  await until(async () => /Kontoregel 1 behöver en domän\./.test((await id('routing-error').textContent()) ?? ''), 'the Swedish message');
  // A custom rule: its words and choices.
  await id('add-rule').click();
  const rule = id('custom-rule');
  const ruleText = await flat(rule);
  for (const part of ['Regel 1', 'Prioritet', 'Om', 'erbjud då till', '+ Lägg till villkor', 'Välj en agent eller ett team…']) assert.ok(ruleText.includes(part), `"${part}" in the rule: ${ruleText}`);
  assert.deepEqual(await rule.getByTestId('condition-attribute').locator('option').allTextContents(), ['E-post', 'E-postdomän', 'Namn', 'Företag', 'Titel', 'Telefon', 'Sidans URL']);
  assert.deepEqual(await rule.getByTestId('condition-op').locator('option').allTextContents(), ['är', 'innehåller', 'börjar med', 'slutar med']);
  await shot(sigrid, 'sv01-routing');
  await id('routing-discard').click();
  await until(async () => (await id('custom-rule').count()) === 0, 'the draft discarded');
});

step("Settings → Chattfördelning: the visitors' hours card is Swedish", async () => {
  await id('nav-workspace').click();
  await id('admin-visitor-hours').waitFor();
  const card = await flat(id('admin-visitor-hours'));
  assert.match(card, /Besökarnas tider för möten/);
  assert.match(card, /Från/);
  assert.match(card, /Till/);
  assert.match(card, /i besökarens egen tidszon/);
  await id('admin-visitor-day-start').fill('21:00');
  await id('admin-save').click();
  await until(async () => /Besökarnas tider: starttiden måste vara före sluttiden\./.test((await id('admin-error').textContent()) ?? ''), 'the Swedish message');
  await id('admin-discard').click();
});

step('a visitor asks: the banner says the page in Swedish; Sigrid takes the chat', async () => {
  await id('open-inbox').click();
  const on = await apiCall(sigrid, 'PUT', '/me/availability', { available: true });
  assert.equal(on.status, 200, JSON.stringify(on.body));
  const session = await httpCall(baseUrl, 'POST', '/visitor/session', { body: {} });
  visitorToken = session.body.visitor_token;
  const chat = await httpCall(baseUrl, 'POST', '/visitor/chats', {
    token: visitorToken,
    body: { name: VISITOR.name, email: VISITOR.email, job_title: VISITOR.job_title, company: VISITOR.company, page_url: 'https://kund.se/priser' },
  });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  chatId = chat.body.conversation.id;
  const banner = sigrid.locator('[data-testid="request-banner"][data-state="offered"]');
  await banner.waitFor();
  assert.match(await flat(banner), /på kund\.se\/priser/);
  await banner.getByTestId('request-accept').click();
  await until(async () => (await id('chat-visitor-name').textContent()) === VISITOR.name, 'the chat open');
});

step('the visitor books a meeting in the chat: the history says the form and the meeting in Swedish, in Stockholm time', async () => {
  const me = await apiCall(sigrid, 'GET', '/me');
  const cal = await apiCall(sigrid, 'PUT', '/me/calendar', { time_zone: 'UTC', blocks: ALL_WEEK, duration_minutes: 30, buffer_minutes: 0, notice_minutes: 60, horizon_days: 14 });
  assert.equal(cal.status, 200, JSON.stringify(cal.body));
  const slots = await httpCall(baseUrl, 'GET', `/visitor/calendars/${me.body.agent.id}/slots`, { token: visitorToken });
  assert.ok(slots.body.slots?.length, JSON.stringify(slots.body));
  meetingStart = slots.body.slots[0].start;
  const booked = await httpCall(baseUrl, 'POST', '/visitor/meetings', { token: visitorToken, body: { agent_id: me.body.agent.id, start: meetingStart, email: VISITOR.email, conversation_id: chatId } });
  assert.equal(booked.status, 201, JSON.stringify(booked.body));

  // The history as the server keeps it: the English sentence and the facts.
  const detail = await apiCall(sigrid, 'GET', `/conversations/${chatId}`);
  const meeting = detail.body.activities.find((a) => a.type === 'meeting_booked');
  assert.match(meeting.detail, /^Meeting with Sigrid Admin on /);
  assert.equal(meeting.data.start, meetingStart);
  const form = detail.body.activities.find((a) => a.type === 'form_filled');
  assert.deepEqual(form.data, { name: VISITOR.name, email: VISITOR.email, job_title: VISITOR.job_title, company: VISITOR.company });

  // The Inbox words them in Swedish (reopen the chat to read the history afresh).
  await sigrid.reload();
  await sigrid.locator(`[data-testid="conversation-row"][data-conversation-id="${chatId}"]`).click();
  const item = (type) => sigrid.locator(`[data-testid="activity-item"][data-type="${type}"]`);
  await item('meeting_booked').waitFor();
  assert.equal(await item('meeting_booked').getByTestId('activity-type').textContent(), 'Möte bokat');
  const when = new Intl.DateTimeFormat('sv-SE', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: ZONE, numberingSystem: 'latn' }).format(meetingStart);
  assert.equal(await item('meeting_booked').getByTestId('activity-detail').textContent(), `Möte med Sigrid Admin, ${when}`);
  assert.equal(await item('form_filled').getByTestId('activity-type').textContent(), 'Formulär ifyllt');
  assert.equal(await item('form_filled').getByTestId('activity-detail').textContent(), `Namn: ${VISITOR.name} · E-post: ${VISITOR.email} · Titel: VD · Företag: Acme AB`);
  const history = await flat(id('activity-list'));
  for (const english of ['Meeting with', 'Name:', 'Email:', 'Job title', 'Company:', 'Form filled', 'Meeting booked']) assert.ok(!history.includes(english), `no "${english}" in the history: ${history}`);
  await shot(sigrid, 'sv02-activity-history');
});
