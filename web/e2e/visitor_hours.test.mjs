// End-to-end for the visitor's reasonable hours and the English clock (issue 13):
//   - an admin sets the hours in Settings → Workspace (visitor_day_start / _end): a start after
//     the end and a time that is not HH:MM are refused with a clear message and nothing is saved;
//     "9:00" is read as 09:00; the API then holds the new hours;
//   - the widget's offered meeting slots follow at once: a visitor in Tokyo, with nobody there to
//     chat, leaves a message and is offered only slots inside 09:00–11:30 Tokyo time;
//   - one clock per language: English is 24-hour everywhere, so in a US-English browser the
//     widget's slots, its booking confirmation and the meeting page say "09:30", never "9:30 AM".
//
// Agents: an admin (no calendar, not available: nobody takes chats) and C, a Calendar Agent whose
// calendar is open every day all day (UTC), so slots exist whatever the hour the test runs.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, cleanup, httpCall, launchBrowser, newContext, newPage, requestChat, scenario, shot, signIn, startServer, until } from './helpers.mjs';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse 31', role: 'admin' };
const C = { name: 'Carla Calendar', email: 'carla@example.com', password: 'correct horse 32', calendarOnly: true };
const VISITOR = { name: 'Vera Visitor', email: 'vera@visitor.test' };
const VISITOR_ZONE = 'Asia/Tokyo';
const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
const CLOCK_12 = /\b\d{1,2}:\d{2}\s?(AM|PM)\b/i;

let dataDir, server, baseUrl, browser, admin, visitor;
const dialogs = [];
const flow = scenario('hours', () => [admin, visitor]);
const { step } = flow;
const id = (page, testid) => page.getByTestId(testid);

/** "HH:MM" of an instant in a zone (24-hour), computed the same way in the test process. */
const hhmm = (ms, timeZone) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([ADMIN, C]));
  browser = await launchBrowser();
  admin = await newPage(await newContext(browser, 1280, 900), 'admin', dialogs);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US', timezoneId: VISITOR_ZONE });
  visitor = await newPage(ctx, 'visitor', dialogs);
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
  assert.deepEqual(dialogs, [], 'no unexpected alert/confirm dialogs');
});

step("C's calendar is open all week; the admin finds the visitors' hours in Settings at 08:00–20:00", async () => {
  const login = await httpCall(baseUrl, 'POST', '/auth/login', { body: { email: C.email, password: C.password } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const cookie = login.headers.get('set-cookie').split(';')[0];
  C.id = login.body.agent.id;
  const put = await httpCall(baseUrl, 'PUT', '/me/calendar', { cookie, body: { time_zone: 'UTC', blocks: ALL_WEEK, duration_minutes: 30, buffer_minutes: 0, notice_minutes: 60, horizon_days: 14 } });
  assert.equal(put.status, 200, JSON.stringify(put.body));

  await signIn(admin, baseUrl, ADMIN);
  await id(admin, 'open-settings').click();
  await id(admin, 'nav-workspace').click();
  await id(admin, 'admin-settings-form').waitFor();
  await id(admin, 'admin-visitor-hours').waitFor();
  assert.equal(await id(admin, 'admin-visitor-day-start').inputValue(), '08:00');
  assert.equal(await id(admin, 'admin-visitor-day-end').inputValue(), '20:00');
  assert.match(await id(admin, 'admin-visitor-hours').textContent(), /in the visitor's own time zone/);
});

step('a start after the end, or a time that is not HH:MM, is refused with a clear message; nothing is saved', async () => {
  await id(admin, 'admin-visitor-day-start').fill('21:00');
  assert.equal(await id(admin, 'admin-visitor-day-start').getAttribute('aria-invalid'), 'true');
  await id(admin, 'admin-save').click();
  await until(async () => /Visitors' hours: the start must be before the end\./.test((await id(admin, 'admin-error').textContent()) ?? ''), 'the order message');
  await id(admin, 'admin-visitor-day-start').fill('nine');
  await id(admin, 'admin-save').click();
  await until(async () => /write the times as HH:MM/.test((await id(admin, 'admin-error').textContent()) ?? ''), 'the format message');
  const stored = await apiCall(admin, 'GET', '/admin/settings');
  assert.equal(stored.body.settings.visitor_day_start, '08:00', 'nothing saved');
  // The server says the same when asked directly.
  const refused = await apiCall(admin, 'PUT', '/admin/settings', { visitor_day_start: '21:00', visitor_day_end: '20:00' });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.message, /visitor_day_start must be before visitor_day_end/);
});

step('"9:00" to "11:30" is saved as 09:00–11:30 and the API holds it', async () => {
  await id(admin, 'admin-visitor-day-start').fill('9:00');
  await id(admin, 'admin-visitor-day-end').fill('11:30');
  await id(admin, 'admin-visitor-day-end').press('Tab'); // leaving the field writes it as HH:MM
  assert.equal(await id(admin, 'admin-visitor-day-end').inputValue(), '11:30');
  await id(admin, 'admin-visitor-day-start').focus();
  await id(admin, 'admin-visitor-day-start').press('Tab');
  assert.equal(await id(admin, 'admin-visitor-day-start').inputValue(), '09:00');
  await id(admin, 'admin-save').click();
  await id(admin, 'admin-saved').waitFor();
  assert.equal(await id(admin, 'admin-error').count(), 0);
  const stored = await apiCall(admin, 'GET', '/admin/settings');
  assert.equal(stored.body.settings.visitor_day_start, '09:00');
  assert.equal(stored.body.settings.visitor_day_end, '11:30');
  await shot(admin, 'h01-visitor-hours');
});

step('the widget offers a visitor in Tokyo only slots inside 09:00–11:30 Tokyo time, in 24-hour English', async () => {
  const status = await httpCall(baseUrl, 'GET', '/visitor/status');
  assert.equal(status.body.agents_available, false, 'nobody takes chats');
  await visitor.goto(`${baseUrl}/demo`);
  await id(visitor, 'widget-launcher').click();
  await visitor.locator('[data-testid="prechat-form"][data-mode="offline"]').waitFor();
  await visitor.getByTestId('prechat-question').fill('Can we talk about a team plan?');
  await requestChat(visitor, VISITOR);
  await id(visitor, 'widget-missed').waitFor();
  const card = visitor.locator(`[data-testid="widget-calendar"][data-agent-id="${C.id}"]`);
  await card.waitFor();
  await until(async () => (await card.getAttribute('data-state')) === 'ready', "C's calendar under the message");
  assert.equal(await card.getByTestId('widget-calendar-zone').getAttribute('data-zone'), VISITOR_ZONE);
  const shown = await card.getByTestId('widget-slot').evaluateAll((els) => els.map((e) => ({ start: Number(e.getAttribute('data-start')), end: Number(e.getAttribute('data-end')), text: e.textContent.trim() })));
  assert.ok(shown.length >= 1, 'some slots are shown');
  for (const s of shown) {
    const from = hhmm(s.start, VISITOR_ZONE);
    const to = hhmm(s.end, VISITOR_ZONE);
    assert.ok(from >= '09:00' && to <= '11:30' && from < to, `slot ${from}–${to} Tokyo time is inside 09:00–11:30`);
    assert.equal(s.text, from, 'the button says the Tokyo time, 24-hour');
  }
  assert.doesNotMatch(await visitor.locator('parley-chat').evaluate((el) => (el.shadowRoot ?? el).textContent), CLOCK_12, 'no 12-hour time in the widget');
  // The same rule through the API, over the whole horizon.
  const token = await visitor.evaluate(() => localStorage.getItem('parley.visitor_token'));
  const slots = await httpCall(baseUrl, 'GET', `/visitor/calendars/${C.id}/slots?tz=${encodeURIComponent(VISITOR_ZONE)}`, { token });
  assert.equal(slots.status, 200, JSON.stringify(slots.body));
  assert.ok(slots.body.slots.length >= 5, `slots on several days (${slots.body.slots.length})`);
  for (const s of slots.body.slots) assert.ok(hhmm(s.start, VISITOR_ZONE) >= '09:00' && hhmm(s.end, VISITOR_ZONE) <= '11:30', `API slot ${hhmm(s.start, VISITOR_ZONE)}`);
  await shot(visitor, 'h02-widget-slots-in-hours');
});

step('booking one: the confirmation and the meeting page say the time in 24-hour English too', async () => {
  const card = visitor.locator(`[data-testid="widget-calendar"][data-agent-id="${C.id}"]`);
  const first = card.getByTestId('widget-slot').first();
  const start = Number(await first.getAttribute('data-start'));
  await first.click();
  await card.getByTestId('widget-book').click();
  await until(async () => (await card.getAttribute('data-state')) === 'booked', 'booked');
  const when = (await card.getByTestId('widget-meeting-time').textContent()).trim();
  assert.ok(when.includes(hhmm(start, VISITOR_ZONE)), `"${when}" says ${hhmm(start, VISITOR_ZONE)}`);
  assert.doesNotMatch(when, CLOCK_12);
  const manage = await card.getByTestId('widget-meeting-manage').getAttribute('href');
  const page = await newPage(visitor.context(), 'meeting-page', dialogs);
  await page.goto(manage);
  await id(page, 'manage-when').waitFor();
  const pageWhen = (await id(page, 'manage-when').textContent()).trim();
  assert.ok(pageWhen.includes(hhmm(start, VISITOR_ZONE)), `meeting page "${pageWhen}" says ${hhmm(start, VISITOR_ZONE)}`);
  assert.doesNotMatch(await page.locator('body').textContent(), CLOCK_12, 'no 12-hour time on the meeting page');
  await page.close();
});
