// End-to-end for calendar sharing and meeting booking (SPEC §4, §5): the meeting calendar settings
// (zone, blocks, numbers, busy times from an .ics file), the calendar picker next to the composer
// (own calendar first, then a calendar-only agent), the widget's calendar card (free slots in the
// visitor's own zone, grouped by day), booking with the pre-chat email, confirmations on both
// sides, the host-page `parley:meeting-booked` event, .ics downloads, the booked agent's banner and
// browser notification, a lost race ("That time was just taken" with fresh slots), the visitor's
// meeting page (reschedule), the meeting list (Mine / All, reschedule, cancel) and the missed
// request's "…or book a meeting".
//
// Agents: A (Alice, takes chats, calendar set through the Settings page), C (Carla, calendar-only,
// calendar set through the API: every day 00:00–24:00, so slots exist whatever the hour) and an
// admin. The visitor's browser runs in Asia/Tokyo and the second one in America/Los_Angeles, so
// slot times visibly follow the visitor's zone (the agents' browsers run in UTC).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  apiCall,
  cleanup,
  httpCall,
  launchBrowser,
  newContext,
  newPage,
  recordWidgetEvents,
  requestChat,
  scenario,
  shot,
  signIn,
  sleep,
  startServer,
  texts,
  until,
} from './helpers.mjs';

const A = { name: 'Alice Agent', email: 'alice@example.com', password: 'correct horse 11' };
const C = { name: 'Carla Calendar', email: 'carla@example.com', password: 'correct horse 12', calendarOnly: true };
const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse 13', role: 'admin' };
const VISITOR = { name: 'Vera Visitor', email: 'vera@visitor.test' };
const SECOND = { name: 'Sam Second', email: 'sam@second.test' };
const THIRD = { name: 'Tess Third', email: 'tess@third.test' };
const A_ZONE = 'Europe/Berlin';
const C_ZONE = 'America/New_York';
const VISITOR_ZONE = 'Asia/Tokyo';
const SECOND_ZONE = 'America/Los_Angeles';

let dataDir;
let server;
let baseUrl;
let browser;
let alice, carla, admin, visitor, second, third;
let carlaCtx;
let convId; // the first visitor's chat with A
let firstSlot; // {start, end}: the slot the first visitor books
let meetingId; // the first visitor's meeting (with C)
let manageUrl; // its manage page
let stolenId; // the meeting booked over the API under the second visitor's nose
const dialogs = [];
const flow = scenario('calendar', () => [alice, carla, admin, visitor, second, third]);
const { step } = flow;

const http = (method, apiPath, opts) => httpCall(baseUrl, method, apiPath, opts);
const w = (page, testid) => page.getByTestId(testid);
const attr = (locator, name) => locator.getAttribute(name);
const cardOf = (page, agentId) => page.locator(`[data-testid="widget-calendar"][data-agent-id="${agentId}"]`);
const rowOf = (page, id) => page.locator(`[data-testid="meeting-row"][data-meeting-id="${id}"]`);

/** Every day of the week, all day: slots exist whatever the hour the test runs. */
const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

/** A minimal iCalendar file with one busy event tomorrow 10:00–11:00 UTC. */
function busyIcs() {
  const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Parley e2e//EN',
    'BEGIN:VEVENT',
    'UID:busy-1@parley.test',
    `DTSTAMP:${day}T080000Z`,
    `DTSTART:${day}T100000Z`,
    `DTEND:${day}T110000Z`,
    'SUMMARY:Dentist',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** The same formatting the pages use, computed in that page's browser (same ICU, same zone rules). */
function inPage(page, fn, arg) {
  return page.evaluate(fn, arg);
}

/** en-GB "Tue 25 Nov 2025, 14:00" in a zone: the Inbox's meeting time format. */
const inboxTime = (page, ms, timeZone) =>
  inPage(
    page,
    ([t, z]) => new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: z }).format(t),
    [ms, timeZone],
  );

/** The visitor side's grouping: [{title, times: ["09:00", …], starts: [ms, …]}] in the browser's zone (24-hour in English too). */
const visitorDays = (page, slots) =>
  inPage(
    page,
    (list) => {
      const key = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
      const title = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
      const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      const days = [];
      for (const s of list) {
        const k = key.format(s.start);
        if (!days.length || days[days.length - 1].key !== k) days.push({ key: k, title: title.format(s.start), times: [], starts: [] });
        days[days.length - 1].times.push(time.format(s.start));
        days[days.length - 1].starts.push(s.start);
      }
      return days;
    },
    slots,
  );

const visitorToken = (page) => page.evaluate(() => localStorage.getItem('parley.visitor_token'));

/** The free slots of an agent as a visitor sees them (GET /visitor/calendars/{id}/slots). */
/** The slots a visitor in `zone` is offered: those inside the visitor's reasonable hours there. */
async function visitorSlots(token, agentId, zone) {
  const res = await http('GET', `/visitor/calendars/${agentId}/slots?tz=${encodeURIComponent(zone)}`, { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.slots;
}

/** The widget's visible slot buttons: [{start, text}] in order. */
const shownSlots = (page, card) =>
  card.getByTestId('widget-slot').evaluateAll((els) => els.map((e) => ({ start: Number(e.getAttribute('data-start')), text: e.textContent })));

// Headless Chromium may not display notifications: record what the Inbox constructs.
function recordNotifications() {
  window.__notifications = [];
  try {
    localStorage.setItem('parley.notify_in_foreground', '1');
  } catch {
    /* ignore */
  }
  const Native = window.Notification;
  if (!Native) return;
  class Recorded extends Native {
    constructor(title, options = {}) {
      window.__notifications.push({ title, body: options.body ?? '', tag: options.tag ?? '' });
      super(title, options);
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Native.permission });
  Recorded.requestPermission = (...args) => Native.requestPermission(...args);
  window.Notification = Recorded;
}

/** A visitor browser in a given zone, on the demo page, with the widget's host events recorded. */
async function visitorPage(who, timezoneId) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'en-US', timezoneId });
  const page = await newPage(ctx, who, dialogs);
  await recordWidgetEvents(page);
  return page;
}

/** A visitor asks for a chat on the demo page and A accepts it; returns the conversation id. */
async function chatWithA(page, who) {
  await page.goto(`${baseUrl}/demo`);
  await w(page, 'widget-launcher').click();
  await requestChat(page, who);
  await w(page, 'widget-waiting').waitFor();
  const banner = alice.locator('[data-testid="request-banner"][data-state="offered"]');
  await banner.waitFor();
  await banner.getByTestId('request-accept').click();
  await w(page, 'widget-composer').waitFor();
  await until(async () => (await alice.getByTestId('chat-visitor-name').textContent()) === who.name, `A's chat with ${who.name}`);
  return Number(await alice.getByTestId('chat-pane').getAttribute('data-conversation-id'));
}

/** A shares C's calendar into the open chat through the picker. */
async function shareCarla() {
  await alice.getByTestId('composer-calendar').click();
  const picker = alice.getByTestId('calendar-picker');
  await picker.waitFor();
  await until(async () => (await picker.getAttribute('data-state')) === 'ready', 'the calendars in the picker');
  await picker.locator(`[data-testid="calendar-option"][data-agent-id="${C.id}"]`).click();
  await picker.getByTestId('calendar-send').click();
  await picker.waitFor({ state: 'detached' });
}

// ---------------------------------------------------------------------------------------------------

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([A, C, ADMIN]));
  browser = await launchBrowser();
  alice = await newPage(await newContext(browser, 1440, 900), 'alice', dialogs);
  carlaCtx = await newContext(browser, 1440, 900);
  await carlaCtx.addInitScript(recordNotifications);
  await carlaCtx.grantPermissions(['notifications'], { origin: baseUrl });
  carla = await newPage(carlaCtx, 'carla', dialogs);
  visitor = await visitorPage('visitor', VISITOR_ZONE);
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

// ---------------------------------------------------------------------------------------------------

step('A (takes chats) and C (calendar-only) sign in; C\'s meeting calendar is set through the API', async () => {
  await signIn(alice, baseUrl, A);
  const on = await apiCall(alice, 'PUT', '/me/availability', { available: true });
  assert.equal(on.status, 200, JSON.stringify(on.body));
  A.id = on.body.agent.id;
  const tz = await apiCall(alice, 'PUT', '/me/settings', { time_zone: A_ZONE });
  assert.equal(tz.status, 200, JSON.stringify(tz.body));

  await signIn(carla, baseUrl, C, '/inbox/', 'agent-name');
  const me = await apiCall(carla, 'GET', '/me');
  assert.equal(me.status, 200);
  C.id = me.body.agent.id;
  assert.equal(me.body.agent.takes_chats, false, 'C is a calendar-only user');
  await w(carla, 'calendar-only').waitFor();
  assert.equal(await w(carla, 'availability-toggle').count(), 0, 'a calendar-only user has no availability toggle');

  const put = await apiCall(carla, 'PUT', '/me/calendar', { time_zone: C_ZONE, blocks: ALL_WEEK, duration_minutes: 30, buffer_minutes: 0, notice_minutes: 60, horizon_days: 14 });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.calendar.bookable, true);
  assert.equal(put.body.calendar.duration_minutes, 30);
  assert.equal(put.body.calendar.time_zone, C_ZONE);
  await carla.evaluate(() => (window.__sameDocument = true)); // the notification must come live
});

step('A sets up a meeting calendar in Settings: zone, weekly blocks, numbers; page and server errors show next to the form', async () => {
  await alice.getByTestId('open-settings').click();
  await alice.getByTestId('nav-calendar').click();
  const form = alice.getByTestId('calendar-form');
  await form.waitFor();
  assert.equal(new URL(alice.url()).pathname, '/inbox/settings/calendar');
  assert.equal(await attr(w(alice, 'calendar-bookable'), 'data-bookable'), 'false', 'no blocks yet: not bookable');
  assert.equal(await w(alice, 'calendar-horizon').inputValue(), '14', 'the horizon defaults to 14 days');

  await w(alice, 'calendar-time-zone').selectOption(A_ZONE);
  for (const day of [1, 2, 3, 4, 5]) await form.locator(`[data-testid="schedule-day"][data-weekday="${day}"]`).getByTestId('add-block').click();
  const friday = form.locator('[data-testid="schedule-day"][data-weekday="5"]');
  await friday.getByTestId('add-block').click(); // a second block on Friday
  await friday.getByTestId('block-start').nth(0).fill('09:00');
  await friday.getByTestId('block-end').nth(0).fill('12:00');
  await friday.getByTestId('block-start').nth(1).fill('13:00');
  await friday.getByTestId('block-end').nth(1).fill('17:00');
  await w(alice, 'calendar-buffer').fill('15');
  await w(alice, 'calendar-notice').fill('120');
  await w(alice, 'calendar-horizon').fill('21');

  // Checked on the page first…
  await w(alice, 'calendar-duration').fill('3');
  await w(alice, 'calendar-save').click();
  await until(async () => /Meeting duration/.test((await w(alice, 'calendar-error').textContent()) ?? ''), 'the page-side error for the duration');
  // …and by the server: its 400 message is shown as it is.
  await w(alice, 'calendar-duration').fill('45');
  await w(alice, 'calendar-ics-url').fill('https://calendar.invalid/busy.ics');
  await w(alice, 'calendar-save').click();
  await w(alice, 'calendar-saved').waitFor();
  assert.equal(await attr(w(alice, 'calendar-bookable'), 'data-bookable'), 'true');
  const saved = await apiCall(alice, 'GET', '/me/calendar');
  assert.equal(saved.body.calendar.time_zone, A_ZONE);
  assert.equal(saved.body.calendar.duration_minutes, 45);
  assert.equal(saved.body.calendar.buffer_minutes, 15);
  assert.equal(saved.body.calendar.notice_minutes, 120);
  assert.equal(saved.body.calendar.horizon_days, 21);
  assert.equal(saved.body.calendar.ics_url, 'https://calendar.invalid/busy.ics');
  assert.deepEqual(
    saved.body.calendar.blocks.filter((b) => b.weekday === 5).map((b) => `${b.start}-${b.end}`),
    ['09:00-12:00', '13:00-17:00'],
    'two blocks on Friday',
  );
  assert.equal(saved.body.calendar.blocks.length, 6);

  // A reload shows what was saved.
  await alice.reload();
  await form.waitFor();
  assert.equal(await w(alice, 'calendar-time-zone').inputValue(), A_ZONE);
  assert.equal(await w(alice, 'calendar-duration').inputValue(), '45');
  assert.equal(await form.getByTestId('schedule-block').count(), 6);
});

step('busy times: a bad .ics file shows the server\'s error, a good one is imported (count and time shown); the URL refresh answers', async () => {
  await w(alice, 'calendar-busy-file').setInputFiles({ name: 'broken.ics', mimeType: 'text/calendar', buffer: Buffer.from('this is not a calendar\n') });
  const err = w(alice, 'calendar-busy-error');
  await err.waitFor();
  const message = ((await err.textContent()) ?? '').trim();
  assert.match(message, /^Not imported: .{4,}/, `the server's message is shown: "${message}"`);

  await w(alice, 'calendar-busy-file').setInputFiles({ name: 'busy.ics', mimeType: 'text/calendar', buffer: Buffer.from(busyIcs()) });
  await w(alice, 'calendar-busy-result').waitFor();
  await until(async () => (await attr(w(alice, 'calendar-busy-count'), 'data-count')) === '1', 'one busy period imported');
  assert.equal((await w(alice, 'calendar-busy-count').textContent()).trim(), '1 busy period imported');
  await w(alice, 'calendar-busy-updated').waitFor();
  await shot(alice, 'c01-calendar-settings');

  // The saved URL cannot be fetched (.invalid never resolves): "Refresh now" shows why.
  await w(alice, 'calendar-refresh').click();
  const refreshErr = w(alice, 'calendar-busy-error');
  await refreshErr.waitFor({ timeout: 35_000 });
  assert.match(((await refreshErr.textContent()) ?? '').trim(), /^Not refreshed: .{4,}/);
  assert.equal(await attr(w(alice, 'calendar-busy-count'), 'data-count'), '1', 'a failed refresh keeps the imported busy times');
});

step('a visitor (browser in Asia/Tokyo) chats with A', async () => {
  convId = await chatWithA(visitor, VISITOR);
  assert.ok(convId > 0);
});

step('A opens the calendar picker: own calendar first, then C (calendar-only); Send posts C\'s card', async () => {
  await alice.getByTestId('composer-calendar').click();
  const picker = alice.getByTestId('calendar-picker');
  await picker.waitFor();
  await until(async () => (await picker.getAttribute('data-state')) === 'ready', 'the calendars in the picker');
  const ids = await picker.getByTestId('calendar-option').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-agent-id'))));
  assert.deepEqual(ids, [A.id, C.id], 'own calendar first, then C; the admin has no calendar');
  assert.equal(await attr(picker.getByTestId('calendar-option').first(), 'data-own'), 'true');
  assert.deepEqual(await texts(picker.getByTestId('calendar-option-name')), [A.name, C.name]);
  await picker.locator(`[data-testid="calendar-option"][data-agent-id="${C.id}"]`).click();
  await shot(alice, 'c02-calendar-picker');
  await picker.getByTestId('calendar-send').click();
  await picker.waitFor({ state: 'detached' });
  const note = alice.locator('[data-testid="system-note"][data-kind="calendar.card"]');
  await note.waitFor();
  assert.match(await note.textContent(), new RegExp(`Calendar of ${C.name} shared`));
});

step("the visitor's widget shows C's free slots in the visitor's own zone, grouped by day", async () => {
  const card = cardOf(visitor, C.id);
  await card.waitFor();
  await until(async () => (await card.getAttribute('data-state')) === 'ready', 'the card with its slots');
  assert.match(await card.getByTestId('widget-calendar-title').textContent(), new RegExp(`Book a meeting with ${C.name}`));
  assert.equal(await attr(card.getByTestId('widget-calendar-zone'), 'data-zone'), VISITOR_ZONE);

  const slots = await visitorSlots(await visitorToken(visitor), C.id, VISITOR_ZONE);
  assert.ok(slots.length > 10, `C has free slots (${slots.length})`);
  assert.ok(slots[0].start >= Date.now() + 55 * 60_000, 'the minimum notice (60 min) holds');
  const expected = await visitorDays(visitor, slots);
  const titles = await texts(card.getByTestId('widget-calendar-day-title'));
  assert.ok(titles.length >= 1 && titles.length <= 3, `a few days at a time (${titles.length})`);
  assert.deepEqual(titles, expected.slice(0, titles.length).map((d) => d.title), 'day headers in Asia/Tokyo');
  const firstDay = card.getByTestId('widget-calendar-day').first();
  assert.equal(await attr(firstDay, 'data-date'), expected[0].key);
  const shown = await shownSlots(visitor, firstDay);
  assert.deepEqual(
    shown.map((s) => s.start),
    expected[0].starts.slice(0, shown.length),
    'the first day\'s slots, in order',
  );
  assert.deepEqual(
    shown.map((s) => s.text),
    expected[0].times.slice(0, shown.length),
    'local (Tokyo) times on the buttons',
  );
  // More days on request.
  const before = titles.length;
  if (expected.length > before) {
    await card.getByTestId('widget-more-days').click();
    await until(async () => (await card.getByTestId('widget-calendar-day-title').count()) > before, 'more days');
  }
  firstSlot = slots[0];
  await shot(visitor, 'c03-widget-calendar-card');
});

step('the visitor books the first slot with their pre-chat email: confirmation on both sides, host event, .ics downloads', async () => {
  const card = cardOf(visitor, C.id);
  await card.locator(`[data-testid="widget-slot"][data-start="${firstSlot.start}"]`).click();
  const email = card.getByTestId('widget-book-email');
  await email.waitFor();
  assert.equal(await email.inputValue(), VISITOR.email, 'prefilled from the pre-chat form');
  assert.equal(Number(await attr(card.getByTestId('widget-book-time'), 'data-start')), firstSlot.start);
  await card.getByTestId('widget-book').click();

  await until(async () => (await card.getAttribute('data-state')) === 'booked', 'the card to turn into a confirmation');
  const confirmation = card.getByTestId('widget-meeting');
  meetingId = Number(await attr(confirmation, 'data-meeting-id'));
  assert.ok(meetingId > 0);
  assert.equal(await attr(confirmation, 'data-status'), 'scheduled');
  assert.equal((await confirmation.getByTestId('widget-meeting-agent').textContent()).trim(), `with ${C.name}`);
  const when = (await confirmation.getByTestId('widget-meeting-time').textContent()).trim();
  const expectedWhen = await inPage(
    visitor,
    ([s]) => new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' }).format(s) + ', ' + new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(s),
    [firstSlot.start],
  );
  assert.ok(when.startsWith(expectedWhen), `the time in the visitor's zone: "${when}" starts with "${expectedWhen}"`);
  manageUrl = await attr(confirmation.getByTestId('widget-meeting-manage'), 'href');
  assert.match(manageUrl, new RegExp(`^${baseUrl.replace(/[.]/g, '\\.')}/meeting/#.{16,}`));

  // The host page heard about it.
  const booked = await until(() => visitor.evaluate(() => window.__parleyEvents.find((e) => e.type === 'meeting-booked')), 'parley:meeting-booked');
  assert.deepEqual(booked.detail.agent_name, C.name);
  assert.equal(booked.detail.agent_id, C.id);
  assert.equal(booked.detail.meeting_id, meetingId);
  assert.equal(booked.detail.start, new Date(firstSlot.start).toISOString());
  assert.equal(booked.detail.end, new Date(firstSlot.end).toISOString());

  // The stored meeting.booked event (it reaches the widget too) is not shown a second time.
  await until(async () => (await apiCall(alice, 'GET', `/conversations/${convId}/events?after_seq=0`)).body.events.some((e) => e.kind === 'meeting.booked'), 'the meeting.booked event');
  await sleep(500);
  assert.equal(await visitor.locator(`[data-testid="widget-meeting"][data-meeting-id="${meetingId}"]`).count(), 1);
  await shot(visitor, 'c04-widget-booked');

  // The invitation downloads (with the visitor's token; a blob link in the shadow root).
  const [download] = await Promise.all([visitor.waitForEvent('download'), confirmation.getByTestId('widget-meeting-ics').click()]);
  const ics = await readFile(await download.path(), 'utf8');
  assert.match(ics, /BEGIN:VCALENDAR/);
  assert.match(ics, /BEGIN:VEVENT/);

  // A's timeline shows the confirmation card, its time in A's zone.
  const inbox = alice.locator(`[data-testid="meeting-card"][data-meeting-id="${meetingId}"]`);
  await inbox.waitFor();
  assert.equal(await attr(inbox, 'data-kind'), 'meeting.booked');
  assert.equal(await attr(inbox, 'data-status'), 'scheduled');
  assert.equal((await inbox.getByTestId('meeting-card-email').textContent()).trim(), VISITOR.email);
  assert.equal((await inbox.getByTestId('meeting-card-agent').textContent()).trim(), C.name);
  const inboxWhen = (await inbox.getByTestId('meeting-card-time').textContent()).trim();
  const aStart = await inboxTime(alice, firstSlot.start, A_ZONE);
  assert.ok(inboxWhen.startsWith(aStart), `A sees the time in ${A_ZONE}: "${inboxWhen}" starts with "${aStart}"`);
  // A shared C's calendar in her chat, so she may download the invitation too.
  const [aliceDownload] = await Promise.all([alice.waitForEvent('download'), inbox.getByTestId('meeting-card-ics').last().click()]);
  assert.match(await readFile(await aliceDownload.path(), 'utf8'), /BEGIN:VCALENDAR/);
  await shot(alice, 'c05-inbox-meeting-card');
});

step("C's Inbox (open in another browser) gets a banner and a browser notification", async () => {
  const alert = carla.locator(`[data-testid="meeting-alert"][data-meeting-id="${meetingId}"]`);
  await alert.waitFor();
  assert.equal(await attr(alert, 'data-kind'), 'booked');
  const when = await inboxTime(carla, firstSlot.start, C_ZONE);
  assert.equal((await alert.getByTestId('meeting-alert-text').textContent()).trim(), `${VISITOR.name} booked a meeting with you on ${when}`);
  assert.equal(await carla.evaluate(() => window.__sameDocument), true, 'it came live, without a reload');
  const notes = await until(async () => {
    const list = await carla.evaluate(() => window.__notifications);
    return list.length ? list : null;
  }, 'a browser notification');
  assert.equal(notes[0].title, 'Meeting booked');
  assert.equal(notes[0].tag, `parley-meeting-${meetingId}`);
  assert.match(notes[0].body, new RegExp(VISITOR.name));
  await shot(carla, 'c06-carla-notified');
});

step('a second visitor whose card shows the same slot loses it to a booking made meanwhile: "That time was just taken", fresh slots', async () => {
  second = await visitorPage('second', SECOND_ZONE);
  await chatWithA(second, SECOND);
  await shareCarla();
  const card = cardOf(second, C.id);
  await until(async () => (await card.getAttribute('data-state')) === 'ready', "the second visitor's card");
  assert.equal(await attr(card.getByTestId('widget-calendar-zone'), 'data-zone'), SECOND_ZONE);
  const shown = await shownSlots(second, card);
  assert.ok(!shown.some((s) => s.start === firstSlot.start), 'the booked slot is gone');
  const target = shown[0].start;

  // Someone else (another visitor session, over the API) books that very slot first.
  const session = await http('POST', '/visitor/session', { body: {} });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  const stolen = await http('POST', '/visitor/meetings', { token: session.body.visitor_token, body: { agent_id: C.id, start: target, email: 'quick@elsewhere.test' } });
  assert.equal(stolen.status, 201, JSON.stringify(stolen.body));
  stolenId = stolen.body.meeting.id;

  // The same slot again over the API: exactly one booking wins.
  const again = await http('POST', '/visitor/meetings', { token: session.body.visitor_token, body: { agent_id: C.id, start: target, email: 'late@elsewhere.test' } });
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.equal(again.body.error.code, 'conflict');
  assert.ok(Array.isArray(again.body.error.slots) && !again.body.error.slots.some((s) => s.start === target), 'the 409 carries fresh slots without it');

  await card.locator(`[data-testid="widget-slot"][data-start="${target}"]`).click();
  assert.equal(await card.getByTestId('widget-book-email').inputValue(), SECOND.email);
  await card.getByTestId('widget-book').click();
  const taken = card.getByTestId('widget-calendar-taken');
  await taken.waitFor();
  assert.match(await taken.textContent(), /That time was just taken/);
  assert.equal(await card.getAttribute('data-state'), 'ready');
  const fresh = await shownSlots(second, card);
  assert.ok(fresh.length > 0, 'fresh slots are shown');
  assert.ok(!fresh.some((s) => s.start === target || s.start === firstSlot.start), 'the fresh slots do not offer the taken times');
  await shot(second, 'c07-second-visitor-taken');
});

step("the visitor's meeting page: the meeting in the visitor's zone; rescheduling it to another free slot", async () => {
  const page = await newPage(visitor.context(), 'manage', dialogs);
  await page.goto(manageUrl);
  const m = page.getByTestId('manage-meeting');
  await m.waitFor();
  assert.equal(await attr(m, 'data-meeting-id'), String(meetingId));
  assert.equal((await w(page, 'manage-agent').textContent()).trim(), C.name);
  assert.equal((await w(page, 'manage-status').textContent()).trim(), 'Scheduled');
  assert.equal(Number(await attr(w(page, 'manage-when'), 'data-start')), firstSlot.start);
  assert.match(await w(page, 'manage-zone').textContent(), /Asia\/Tokyo/);
  await shot(page, 'c08-manage-page');

  await w(page, 'manage-reschedule').click();
  const slot = page.getByTestId('manage-slot').nth(2);
  const newStart = Number(await slot.getAttribute('data-start'));
  await slot.click();
  await w(page, 'manage-move').click();
  await w(page, 'manage-notice').waitFor();
  await until(async () => (await w(page, 'manage-status').textContent()).trim() === 'Rescheduled', 'status rescheduled');
  assert.equal(Number(await attr(w(page, 'manage-when'), 'data-start')), newStart);
  firstSlot = { start: newStart, end: newStart + (firstSlot.end - firstSlot.start) };
  await page.close();

  // The chat shows the move on both sides; C is told (the visitor did it).
  await visitor.locator(`[data-testid="widget-meeting"][data-kind="meeting.rescheduled"][data-meeting-id="${meetingId}"]`).waitFor();
  await alice.locator(`[data-testid="conversation-row"][data-conversation-id="${convId}"]`).click(); // A was on the second chat
  await alice.locator(`[data-testid="meeting-card"][data-kind="meeting.rescheduled"][data-meeting-id="${meetingId}"]`).waitFor();
  const alert = carla.locator(`[data-testid="meeting-alert"][data-meeting-id="${meetingId}"][data-kind="rescheduled"]`);
  await alert.waitFor();
  assert.match(await alert.textContent(), new RegExp(`moved their meeting with you to ${(await inboxTime(carla, newStart, C_ZONE)).replace(/[()]/g, '.')}`));
});

step('the meeting list: C sees their meetings; the admin sees them under All (none under Mine); an agent cannot ask for all', async () => {
  await carla.getByTestId('open-meetings').click();
  const page = carla.getByTestId('meetings-page');
  await until(async () => (await page.getAttribute('data-state')) === 'ready', 'the meeting list');
  assert.equal(await w(carla, 'meetings-scope-all').count(), 0, 'no Mine/All for an agent');
  const row = rowOf(carla, meetingId);
  await row.waitFor();
  assert.equal((await row.getByTestId('meeting-booker').textContent()).trim(), VISITOR.email);
  assert.equal((await row.getByTestId('meeting-agent').textContent()).trim(), C.name);
  assert.equal(await attr(row, 'data-status'), 'rescheduled');
  assert.equal((await row.getByTestId('meeting-status').textContent()).trim(), 'Rescheduled');
  assert.equal((await row.getByTestId('meeting-passed').textContent()).trim(), 'Upcoming');
  assert.equal(await attr(row, 'data-passed'), 'false');
  assert.ok((await row.getByTestId('meeting-time').textContent()).startsWith(await inboxTime(carla, firstSlot.start, C_ZONE)), 'the time in the calendar\'s zone');
  const stolenRow = rowOf(carla, stolenId);
  await stolenRow.waitFor();
  assert.equal(await attr(stolenRow, 'data-status'), 'scheduled');
  const starts = await carla.getByTestId('meeting-row').evaluateAll((els) => els.map((e) => Number(e.querySelector('[data-testid="meeting-time"]').getAttribute('data-start'))));
  assert.deepEqual(starts, [...starts].sort((a, b) => b - a), 'newest start first');
  await shot(carla, 'c09-meeting-list');
  // C downloads the invitation from the list.
  const [download] = await Promise.all([carla.waitForEvent('download'), row.getByTestId('meeting-download').click()]);
  const ics = (await readFile(await download.path(), 'utf8')).replace(/\r?\n[ \t]/g, ''); // unfolded
  assert.match(ics, /BEGIN:VEVENT/);
  assert.match(ics, /ATTENDEE[^\n]*:mailto:vera@visitor\.test/i, 'the booker is an attendee');
  const utc = new Date(firstSlot.start).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  assert.match(ics, new RegExp(`DTSTART:${utc}`), 'the (moved) start');

  const all = await apiCall(alice, 'GET', '/meetings?scope=all');
  assert.equal(all.status, 403, 'scope=all is for admins');

  admin = await newPage(await newContext(browser, 1440, 900), 'admin', dialogs);
  await signIn(admin, baseUrl, ADMIN);
  await admin.getByTestId('open-meetings').click();
  const adminPage = admin.getByTestId('meetings-page');
  await until(async () => (await adminPage.getAttribute('data-state')) === 'ready', "the admin's list");
  assert.equal(await adminPage.getAttribute('data-scope'), 'mine');
  await w(admin, 'meetings-empty').waitFor();
  await w(admin, 'meetings-scope-all').click();
  await until(async () => (await adminPage.getAttribute('data-scope')) === 'all' && (await adminPage.getAttribute('data-state')) === 'ready', 'All');
  await rowOf(admin, meetingId).waitFor();
  await rowOf(admin, stolenId).waitFor();
  assert.equal((await rowOf(admin, meetingId).getByTestId('meeting-agent').textContent()).trim(), C.name);
  await shot(admin, 'c10-admin-all-meetings');
});

step('reschedule from the list: a new free slot of that agent', async () => {
  const row = rowOf(carla, stolenId);
  await row.getByTestId('meeting-reschedule').click();
  const panel = carla.getByTestId('reschedule-panel');
  await until(async () => (await panel.getAttribute('data-state')) === 'ready', 'the free slots');
  const slot = panel.getByTestId('reschedule-slot').nth(3);
  const start = Number(await slot.getAttribute('data-start'));
  await slot.click();
  await panel.getByTestId('reschedule-confirm').click();
  await until(async () => (await row.getAttribute('data-status')) === 'rescheduled', 'status rescheduled');
  assert.equal(Number(await attr(row.getByTestId('meeting-time'), 'data-start')), start);
  await panel.waitFor({ state: 'detached' });
  // C did it here: no banner about the move (the earlier one about the booking may still be up).
  await sleep(500);
  assert.equal(await carla.locator(`[data-testid="meeting-alert"][data-meeting-id="${stolenId}"][data-kind="rescheduled"]`).count(), 0);
});

step("cancel from the list: status cancelled, and the visitor's widget shows the cancelled card", async () => {
  const row = rowOf(carla, meetingId);
  await row.getByTestId('meeting-cancel').click();
  await row.getByTestId('meeting-cancel-confirm').click();
  await until(async () => (await row.getAttribute('data-status')) === 'cancelled', 'status cancelled');
  assert.equal((await row.getByTestId('meeting-status').textContent()).trim(), 'Cancelled');
  assert.equal(await row.getByTestId('meeting-cancel').count(), 0, 'nothing more to cancel');

  const cancelled = visitor.locator(`[data-testid="widget-meeting"][data-kind="meeting.cancelled"][data-meeting-id="${meetingId}"]`);
  await cancelled.waitFor();
  assert.equal(await attr(cancelled, 'data-status'), 'cancelled');
  assert.equal((await cancelled.getByTestId('widget-meeting-status').textContent()).trim(), 'Cancelled');
  // The earlier confirmation says so too, and offers no manage link any more.
  const card = cardOf(visitor, C.id);
  await until(async () => (await card.getByTestId('widget-meeting-later').count()) === 1, 'the booked card to say it was cancelled');
  assert.equal(await card.getByTestId('widget-meeting-manage').count(), 0);
  await alice.locator(`[data-testid="meeting-card"][data-kind="meeting.cancelled"][data-meeting-id="${meetingId}"]`).waitFor();
  await visitor.getByTestId('widget-messages').evaluate((el) => el.lastElementChild?.scrollIntoView());
  await shot(visitor, 'c11-widget-cancelled');

  // The admin's list follows on the next load; the manage link shows the cancellation.
  await w(admin, 'meetings-refresh').click();
  await until(async () => (await attr(rowOf(admin, meetingId), 'data-status')) === 'cancelled', "the admin's row");
  const page = await newPage(visitor.context(), 'manage', dialogs);
  await page.goto(manageUrl);
  await until(async () => (await w(page, 'manage-status').textContent())?.trim() === 'Cancelled', 'the manage page says cancelled');
  assert.equal(await w(page, 'manage-reschedule').count(), 0);
  assert.equal(await w(page, 'manage-cancel').count(), 0);
  await page.close();
});

step('a missed request: under the fallback message the visitor can book a meeting instead', async (t) => {
  const off = await apiCall(alice, 'PUT', '/me/availability', { available: false });
  assert.equal(off.status, 200);
  third = await visitorPage('third', 'UTC');
  await third.goto(`${baseUrl}/demo`);
  await w(third, 'widget-launcher').click();
  await requestChat(third, THIRD);
  await w(third, 'widget-missed').waitFor();
  const book = w(third, 'widget-missed-book');
  try {
    await book.waitFor({ timeout: 6000 });
  } catch {
    t.skip('the server added no calendar card to this missed request');
    return;
  }
  assert.match(await book.textContent(), /or book a meeting/);
  const card = third.getByTestId('widget-calendar');
  await until(async () => (await card.getAttribute('data-state')) === 'ready', 'the card under the fallback message');
  const agentId = Number(await card.getAttribute('data-agent-id'));
  assert.ok([A.id, C.id].includes(agentId), 'a bookable calendar');
  const slots = card.getByTestId('widget-slot');
  if ((await slots.count()) === 0) return; // that calendar has nothing free right now: the card says so
  const start = Number(await slots.first().getAttribute('data-start'));
  await slots.first().click();
  assert.equal(await card.getByTestId('widget-book-email').inputValue(), THIRD.email);
  await card.getByTestId('widget-book').click();
  await until(async () => (await card.getAttribute('data-state')) === 'booked', 'booked from the missed chat');
  const ev = await until(() => third.evaluate(() => window.__parleyEvents.find((e) => e.type === 'meeting-booked')), 'parley:meeting-booked');
  assert.equal(ev.detail.start, new Date(start).toISOString());
  await shot(third, 'c12-missed-book');
});
