// End-to-end for Swedish and English (issue 13) and the agent's time zone:
//   - an agent whose setting is Swedish sees the Swedish Inbox in a US-English browser, with a
//     live chat (screenshot inbox-sv.png); a language the server does not know is refused (400);
//   - the widget speaks Swedish when the host page says data-lang="sv", and in a Swedish browser
//     without it; English in an English browser;
//   - the transcript and the .ics invitation are written in the reader's language (the agent's
//     setting, or ?lang= from the front end);
//   - an English agent in an Arabic (ar-EG) browser reads Latin digits in English text;
//   - at first login the Inbox proposes the computer's zone; "Use" saves it and times follow it.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { apiCall, bookMeeting, cleanup, httpCall, launchBrowser, newPage, recordWidgetEvents, requestChat, scenario, shot, shotsDir, signIn, startServer, until, webDir } from './helpers.mjs';

const SV = { name: 'Sara Svensson', email: 'sara@example.com', password: 'correct horse 21' };
const EN = { name: 'Emma English', email: 'emma@example.com', password: 'correct horse 22' };
const TZ = { name: 'Tove Tidszon', email: 'tove@example.com', password: 'correct horse 23' };
const VISITOR = { name: 'Vera Besökare', email: 'vera@example.se' };
const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/;

let dataDir, server, baseUrl, browser, site;
let sara, emma, tove, visitor;
let chatId;
const dialogs = [];
const flow = scenario('i18n', () => [sara, emma, tove, visitor]);
const { step } = flow;

const context = (locale, timezoneId = 'UTC', width = 1440, height = 900) => browser.newContext({ viewport: { width, height }, locale, timezoneId });

async function cookieOf(agent) {
  const login = await httpCall(baseUrl, 'POST', '/auth/login', { body: { email: agent.email, password: agent.password } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return login.headers.get('set-cookie').split(';')[0];
}

/**
 * A customer's site on its own origin (a local HTTP server, like a real host page): /sv has
 * data-lang="sv" on the widget's script tag, /plain has none.
 */
function startSite() {
  const site = http.createServer((req, res) => {
    const attrs = req.url === '/sv' ? 'data-lang="sv"' : req.url === '/plain' ? '' : null;
    res.writeHead(attrs === null ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(attrs === null ? 'not found' : `<!doctype html><html><head><title>Host</title></head><body><h1>Host page</h1><script src="${baseUrl}/widget.js" ${attrs} async></script></body></html>`);
  });
  return new Promise((resolve) => site.listen(0, '127.0.0.1', () => resolve(site)));
}

async function hostPage(page, attrs) {
  await page.goto(`http://127.0.0.1:${site.address().port}/${attrs ? 'sv' : 'plain'}`);
  await page.getByTestId('widget-launcher').waitFor();
}

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([SV, EN, TZ]));
  site = await startSite();
  browser = await launchBrowser();
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
  site?.close();
  assert.deepEqual(dialogs, [], 'no unexpected alert/confirm dialogs');
});

step('the language setting: "sv", "en" or "" is stored; anything else is refused with a clear error', async () => {
  const cookie = await cookieOf(SV);
  const bad = await httpCall(baseUrl, 'PUT', '/me/settings', { cookie, body: { language: 'de' } });
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.match(bad.body.error.message, /language/);
  const ok = await httpCall(baseUrl, 'PUT', '/me/settings', { cookie, body: { language: 'sv' } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.settings.language, 'sv');
  const me = await httpCall(baseUrl, 'GET', '/me', { cookie });
  assert.equal(me.body.agent.language, 'sv');
});

step('an agent with Swedish set sees the Swedish Inbox, even in a US-English browser', async () => {
  sara = await newPage(await context('en-US'), 'sara', dialogs);
  await signIn(sara, baseUrl, SV);
  await until(async () => (await sara.getByTestId('logout').textContent()) === 'Logga ut', 'the Swedish top bar');
  assert.equal(await sara.evaluate(() => document.documentElement.lang), 'sv');
  assert.match(await sara.getByTestId('availability-toggle').textContent(), /Otillgänglig/);
  assert.equal(await sara.getByTestId('open-inbox').textContent(), 'Inkorg');
  assert.equal(await sara.getByTestId('open-meetings').textContent(), 'Möten');
  assert.equal(await sara.getByTestId('open-settings').textContent(), 'Inställningar');
  assert.equal(await sara.title(), 'Parley Inkorg');
  assert.equal(await sara.getByTestId('filter-active').textContent(), 'Aktiva');
  assert.equal(await sara.getByTestId('filter-all').textContent(), 'Alla');
  // Switching on: "Tillgänglig", with the override's end said in Swedish and a 24-hour clock.
  await sara.getByTestId('availability-toggle').click();
  await until(async () => (await sara.getByTestId('availability-toggle').getAttribute('data-state')) === 'available', 'available');
  const toggle = await sara.getByTestId('availability-toggle').textContent();
  assert.match(toggle, /^Tillgänglig — manuellt till (midnatt|\d{2}:\d{2})/, toggle);
});

step('the widget speaks Swedish when the host page says data-lang="sv" (in an English browser)', async () => {
  visitor = await newPage(await context('en-US', 'UTC', 1280, 820), 'visitor', dialogs);
  await recordWidgetEvents(visitor);
  await hostPage(visitor, 'data-lang="sv"');
  assert.equal(await visitor.getByTestId('widget-launcher').getAttribute('aria-label'), 'Öppna chatten');
  await visitor.getByTestId('widget-launcher').click();
  assert.equal(await visitor.getByTestId('prechat-submit').textContent(), 'Chatta med en agent');
  await requestChat(visitor, VISITOR);
  // Sara gets the request in Swedish, takes it, and the two chat.
  await sara.getByTestId('request-accept').waitFor();
  assert.equal(await sara.getByTestId('request-accept').textContent(), 'Ta emot');
  await sara.getByTestId('request-accept').click();
  await until(() => visitor.evaluate(() => window.__parleyEvents.find((e) => e.type === 'chat-started')), 'the chat to start');
  chatId = await visitor.evaluate(() => window.__parleyEvents.find((e) => e.type === 'chat-started').detail.conversation_id);
  await visitor.getByTestId('widget-input').fill('Hej! Har ni öppet i helgen?');
  await visitor.getByTestId('widget-input').press('Enter');
  await sara.getByTestId('composer-input').fill('Hej Vera! Ja, lördag 10–14.');
  await sara.getByTestId('composer-input').press('Enter');
  await until(async () => (await sara.getByTestId('message-body').count()) >= 2, 'both messages in the Inbox');
  assert.equal(await sara.getByTestId('end-session').textContent(), 'Avsluta session');
  assert.match(await sara.getByTestId('visitor-panel').textContent(), /Aktivitetshistorik/);
  assert.match(await sara.getByTestId('chat-status').textContent(), /^Aktiv$/);
  await shot(sara, 'inbox-sv');
  // The README's copy is refreshed on request only, so a test run leaves the checkout clean.
  if (process.env.PARLEY_UPDATE_DOC_SCREENSHOTS) {
    await copyFile(path.join(shotsDir, 'inbox-sv.png'), path.join(webDir, '..', 'docs', 'screenshots', 'inbox-sv.png'));
  }
  // Avsluta session asks first, in Swedish.
  await sara.getByTestId('end-session').click();
  const dialog = sara.getByTestId('end-session-dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Vill du avsluta chatten\?/);
  await sara.getByTestId('end-session-confirm').click();
  await until(async () => (await sara.getByTestId('chat-status').textContent()) === 'Avslutad', 'the chat ended');
  // Settings: the language select shows the stored choice.
  await sara.getByTestId('open-settings').click();
  assert.equal(await sara.getByTestId('settings-language').inputValue(), 'sv');
});

step('the widget follows the browser without data-lang: Swedish in sv-SE, English in en-US', async () => {
  const sv = await newPage(await context('sv-SE', 'Europe/Stockholm', 1280, 820), 'visitor-sv', dialogs);
  await hostPage(sv, '');
  assert.equal(await sv.getByTestId('widget-launcher').getAttribute('aria-label'), 'Öppna chatten');
  await sv.getByTestId('widget-launcher').click();
  assert.equal(await sv.getByTestId('prechat-submit').textContent(), 'Chatta med en agent');
  await sv.context().close();
  const en = await newPage(await context('en-US', 'UTC', 1280, 820), 'visitor-en', dialogs);
  await hostPage(en, '');
  assert.equal(await en.getByTestId('widget-launcher').getAttribute('aria-label'), 'Open chat');
  await en.context().close();
});

step('the transcript is written in the reader’s language: the agent’s setting, or ?lang=', async () => {
  const sv = await apiCall(sara, 'GET', `/conversations/${chatId}/transcript`);
  assert.equal(sv.status, 200, JSON.stringify(sv.body));
  assert.match(sv.body, new RegExp(`^Parley – chattutskrift av konversation #${chatId}\\nBesökare: ${VISITOR.name} <${VISITOR.email}>\\nAgent: ${SV.name}\\n`), sv.body);
  assert.match(sv.body, /\nSlut: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\n/);
  assert.match(sv.body, /\] Vera Besökare: Hej! Har ni öppet i helgen\?\n/);
  const en = await apiCall(sara, 'GET', `/conversations/${chatId}/transcript?lang=en`);
  assert.match(en.body, new RegExp(`^Parley transcript of conversation #${chatId}\\nVisitor: ${VISITOR.name}`), en.body);
  // The Inbox's own download link asks for the language it shows.
  await sara.getByTestId('open-inbox').click();
  await sara.getByTestId('filter-all').click();
  await sara.locator(`[data-testid="conversation-row"][data-conversation-id="${chatId}"]`).click();
  assert.equal(await sara.getByTestId('download-transcript').getAttribute('href'), `/api/v1/conversations/${chatId}/transcript?lang=sv`);
  assert.equal(await sara.getByTestId('download-transcript').textContent(), 'Ladda ned chattutskrift');
});

step('the .ics invitation is in Swedish for the Swedish agent and for a visitor who asks for it', async () => {
  const booking = await bookMeeting(baseUrl, sara, 'kund@example.se');
  const id = booking.meeting.id;
  const agentIcs = await apiCall(sara, 'GET', `/meetings/${id}/invite.ics`);
  assert.equal(agentIcs.status, 200);
  assert.match(agentIcs.body, /SUMMARY:Möte med Sara Svensson/);
  const english = await apiCall(sara, 'GET', `/meetings/${id}/invite.ics?lang=en`);
  assert.match(english.body, /SUMMARY:Meeting with Sara Svensson/);
});

step('an English agent in an Arabic (ar-EG) browser reads English with Latin digits', async () => {
  emma = await newPage(await context('ar-EG'), 'emma', dialogs);
  await signIn(emma, baseUrl, EN);
  assert.equal(await emma.getByTestId('logout').textContent(), 'Log out');
  assert.equal(await emma.evaluate(() => document.documentElement.lang), 'en');
  await emma.getByTestId('availability-toggle').click();
  await until(async () => (await emma.getByTestId('availability-toggle').getAttribute('data-state')) === 'available', 'available');
  const toggle = await emma.getByTestId('availability-toggle').textContent();
  assert.match(toggle, /^Available — override until (midnight|\d{2}:\d{2})/, toggle);
  await emma.getByTestId('open-settings').click();
  const now = await emma.getByTestId('settings-zone-now').textContent();
  assert.match(now, /\d{2}:\d{2}/, now);
  const body = await emma.evaluate(() => document.body.innerText);
  assert.ok(!ARABIC_DIGITS.test(body), `no Arabic-Indic digits on the page: ${body.match(/.{0,20}[\u0660-\u0669\u06F0-\u06F9].{0,20}/)?.[0]}`);
});

step('first login in Stockholm with the default UTC: the Inbox proposes the computer’s zone and times follow it', async () => {
  tove = await newPage(await context('en-US', 'Europe/Stockholm'), 'tove', dialogs);
  await signIn(tove, baseUrl, TZ);
  const prompt = tove.getByTestId('zone-prompt');
  await prompt.waitFor();
  assert.match(await prompt.textContent(), /Europe\/Stockholm/);
  await tove.getByTestId('zone-prompt-use').click();
  await prompt.waitFor({ state: 'detached' });
  const me = await apiCall(tove, 'GET', '/me');
  assert.equal(me.body.agent.time_zone, 'Europe/Stockholm');
  // The override's end ("until midnight" or the next block) is now in Stockholm time: the toggle
  // says the same hour the Stockholm clock gives for that instant.
  await tove.getByTestId('availability-toggle').click();
  await until(async () => (await tove.getByTestId('availability-toggle').getAttribute('data-state')) === 'available', 'available');
  const until_ = (await apiCall(tove, 'GET', '/me')).body.agent.status.until;
  assert.ok(until_, 'the override ends at midnight');
  const stockholmMidnight = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(until_);
  assert.equal(stockholmMidnight, '00:00', 'the override ends at midnight in Stockholm, not in UTC');
  // Dismissed or used, the prompt does not come back.
  await tove.reload();
  await tove.getByTestId('availability-toggle').waitFor();
  assert.equal(await tove.getByTestId('zone-prompt').count(), 0);
});
