// End-to-end for issue 4: availability schedules, the live toggle, the request banner with its
// countdown, the looping request sound, browser notifications, offer timeout → fallback, and the
// inactivity end — against a real Parley server (one admin agent) and Debian's Chromium.
//
// Timing: the schedule test waits for a real minute boundary (8 to 68 s); the accept window and
// the inactivity timeout are shortened to 5 s through the admin settings, not slept through.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { agentAndVisitor, apiCall, cleanup, launchBrowser, requestChat, scenario, shot, signIn, startServer, texts, until, widgetEvent } from './helpers.mjs';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse 2', role: 'admin' };
const FIRST = { name: 'Nora <Notify>', email: 'nora@example.com' };
const SECOND = { name: 'Tim Timeout', email: 'tim@example.com' };
const FALLBACK = 'Nobody could pick up just now — we will email you within the hour.';

let dataDir;
let server;
let baseUrl;
let browser;
let agentCtx;
let agent, visitor;
const dialogs = [];
const flow = scenario('notify', () => [agent, visitor]);
const { step } = flow;

// The schedule is set in a zone far from midnight (so neither the block nor the toggle's
// override runs into the next day mid-test), preferring one with a non-whole-hour offset so
// the toggle visibly formats times in the agent's zone, not the browser's (UTC here).
const ZONES = ['Asia/Kolkata', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Adelaide', 'UTC', 'America/Los_Angeles', 'Asia/Tokyo'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function local(ms, timeZone) {
  const parts = {};
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
  for (const p of fmt.formatToParts(ms)) parts[p.type] = p.value;
  return { hhmm: `${parts.hour}:${parts.minute}`, hour: Number(parts.hour), weekday: WEEKDAYS.indexOf(parts.weekday) + 1 };
}

/** The next whole minute at least `margin` ms away, and a zone where it is between 02:00 and 21:59. */
function nextBoundary(margin) {
  const now = Date.now();
  let at = Math.ceil(now / 60_000) * 60_000;
  if (at - now < margin) at += 60_000;
  const zone = ZONES.find((z) => {
    const h = local(at, z).hour;
    return h >= 2 && h <= 21;
  });
  return { at, zone, ...local(at, zone) };
}

const toggleText = async () => ((await agent.getByTestId('availability-toggle').textContent()) ?? '').trim();
const audioState = () =>
  agent.evaluate(() => {
    const a = document.querySelector('[data-testid="request-sound"]');
    return a ? { paused: a.paused, loop: a.loop, muted: a.muted, src: a.currentSrc } : null;
  });
const notifications = () => agent.evaluate(() => window.__notifications.map(({ title, body, tag, closed }) => ({ title, body, tag, closed })));

let boundary; // { at, zone, hhmm, weekday }

// Headless Chromium may not display notifications: record what the Inbox constructs.
function recordNotifications() {
  window.__notifications = [];
  const Native = window.Notification;
  if (!Native) return;
  class Recorded extends Native {
    constructor(title, options = {}) {
      const rec = { title, body: options.body ?? '', tag: options.tag ?? '', closed: false, instance: null };
      window.__notifications.push(rec);
      super(title, options);
      rec.instance = this;
    }
    close() {
      const rec = window.__notifications.find((n) => n.instance === this);
      if (rec) rec.closed = true;
      super.close();
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Native.permission });
  Recorded.requestPermission = (...args) => Native.requestPermission(...args);
  window.Notification = Recorded;
}

// ---------------------------------------------------------------------------------------

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([ADMIN]));
  browser = await launchBrowser();
  ({ agentCtx, agent, visitor } = await agentAndVisitor(browser, dialogs, { agentInit: recordNotifications }));
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

// ---------------------------------------------------------------------------------------

step('admin signs in: the toggle says why, and the alert prompts are offered', async () => {
  await signIn(agent, baseUrl, ADMIN);
  // No schedule yet: unavailable by schedule, with nothing coming — it says so, and where to set hours.
  await until(async () => (await toggleText()) === 'Unavailable — no working hours set', 'the toggle to read "Unavailable — no working hours set"');
  assert.equal(await agent.getByTestId('set-working-hours').getAttribute('href'), '/inbox/settings');
  assert.equal(await agent.getByTestId('availability-toggle').getAttribute('data-state'), 'unavailable');
  await agent.getByTestId('enable-sound').waitFor();
  await agent.getByTestId('enable-notifications').waitFor();
  assert.equal(await agent.title(), 'Parley Inbox');
  // From here on, every change must arrive live: this marker would vanish with a reload.
  await agent.evaluate(() => (window.__sameDocument = true));
});

step('settings: server validation shows inline; a live-chat block is set to start at the next minute', async () => {
  await agent.getByTestId('open-settings').click();
  await agent.getByTestId('settings-form').waitFor();
  assert.equal(new URL(agent.url()).pathname, '/inbox/settings');

  boundary = nextBoundary(15_000);
  await agent.getByTestId('settings-time-zone').selectOption(boundary.zone);
  const today = agent.locator(`[data-testid="schedule-day"][data-weekday="${boundary.weekday}"]`);
  await today.getByTestId('add-block').click();
  await today.getByTestId('add-block').click();
  const starts = today.getByTestId('block-start');
  const ends = today.getByTestId('block-end');
  await starts.nth(0).fill('08:00');
  await ends.nth(0).fill('12:00');
  await starts.nth(1).fill('11:00');
  await ends.nth(1).fill('13:00');
  await agent.getByTestId('settings-save').click();
  const error = agent.getByTestId('settings-error');
  await error.waitFor();
  const message = (await error.textContent()).trim();
  assert.ok(/overlap/i.test(message), `the server's 400 message is shown inline: "${message}"`);
  await shot(agent, 'n01-settings-validation');

  // A block across midnight, two days on, gets the hint (and does not touch today).
  const later = (boundary.weekday + 1) % 7 + 1;
  const laterDay = agent.locator(`[data-testid="schedule-day"][data-weekday="${later}"]`);
  await laterDay.getByTestId('add-block').click();
  await laterDay.getByTestId('block-start').fill('22:00');
  await laterDay.getByTestId('block-end').fill('02:00');
  assert.equal(await laterDay.getByTestId('block-hint').textContent(), `Runs past midnight, until ${WEEKDAYS[later % 7]} 02:00`);

  // Today: one block from the boundary to the end of the day.
  await today.getByTestId('block-remove').nth(1).click();
  await starts.nth(0).fill(boundary.hhmm);
  await ends.nth(0).fill('24:00');
  await agent.getByTestId('settings-max-chats').fill('4');
  await agent.getByTestId('settings-save').click();
  await agent.getByTestId('settings-saved').waitFor();
  assert.equal(await error.count(), 0, 'the error is gone');
  await shot(agent, 'n02-settings-saved');

  const { body } = await apiCall(agent, 'GET', '/me/settings');
  assert.equal(body.settings.time_zone, boundary.zone);
  assert.equal(body.settings.max_chats, 4);
  assert.deepEqual(
    body.settings.schedule.map((b) => [b.weekday, b.start, b.end]).sort(),
    [
      [boundary.weekday, boundary.hhmm, '24:00'],
      [later, '22:00', '02:00'],
    ].sort(),
  );
  // The toggle shows the coming change in the agent's zone.
  assert.ok(Date.now() < boundary.at - 2000, `still before the boundary (${boundary.at - Date.now()} ms left)`);
  await until(async () => (await toggleText()) === `Unavailable — until ${boundary.hhmm} (schedule)`, `"Unavailable — until ${boundary.hhmm} (schedule)"`);
});

step('admin: chat routing settings are saved; the team page lists the agent live', async () => {
  await agent.getByTestId('nav-workspace').click();
  await agent.getByTestId('admin-settings-form').waitFor();
  assert.equal(await agent.getByTestId('admin-accept-timeout').inputValue(), '100');
  await agent.getByTestId('admin-inactivity-timeout').fill('5');
  await agent.getByTestId('admin-fallback').fill(FALLBACK);
  await agent.getByTestId('admin-save').click();
  await agent.getByTestId('admin-saved').waitFor();
  const { status, body } = await apiCall(agent, 'GET', '/admin/settings');
  assert.equal(status, 200);
  assert.equal(body.settings.inactivity_timeout_seconds, 5);
  assert.equal(body.settings.fallback_message, FALLBACK);
  await shot(agent, 'n03-admin-settings');

  await agent.getByTestId('nav-team').click();
  const row = agent.locator('[data-testid="team-row"]', { hasText: ADMIN.email });
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'unavailable');
  assert.match(await row.getByTestId('team-status').textContent(), new RegExp(`^Unavailable\\s*until ${boundary.hhmm} \\(schedule\\)$`));
  assert.equal(new URL(agent.url()).pathname, '/inbox/settings/team');
});

step('(c) when the block starts, the toggle and the team page change live (no reload)', async () => {
  const left = boundary.at - Date.now();
  await until(async () => (await toggleText()) === 'Available — until midnight (schedule)', 'the toggle to change at the boundary', left + 10_000);
  const late = Date.now() - boundary.at;
  assert.ok(late >= -1500, `changed at the boundary, not before (${late} ms)`);
  const row = agent.locator('[data-testid="team-row"]', { hasText: ADMIN.email });
  await until(async () => (await row.getAttribute('data-state')) === 'available', 'the team row to show Available');
  assert.match(await row.getByTestId('team-status').textContent(), /^Available\s*until midnight \(schedule\)$/);
  assert.equal(await agent.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
  await shot(agent, 'n04-team-status-live');
}, 120_000);  // the boundary is up to ~70 s away: a real minute boundary

step('alerts: "Enable sound" unlocks audio; granting notifications hides that prompt', async () => {
  await agent.getByTestId('enable-sound').click();
  await agent.getByTestId('enable-sound').waitFor({ state: 'detached' });
  assert.equal((await audioState()).paused, true, 'silent while nothing waits');

  await agentCtx.grantPermissions(['notifications'], { origin: baseUrl });
  await agent.getByTestId('enable-notifications').waitFor({ state: 'detached' });
  assert.equal(await agent.getByTestId('alert-setup').count(), 0, 'the alert strip is gone');

  // Headless Chromium counts as focused: show notifications in the foreground too (a per-browser setting).
  await agent.getByTestId('nav-my-settings').click();
  await agent.getByTestId('settings-notify-foreground').check();
  assert.match(await agent.getByTestId('settings-notification-state').textContent(), /Allowed/);
  await agent.getByTestId('open-inbox').click();
  await agent.getByTestId('chat-empty').waitFor();
  assert.equal(new URL(agent.url()).pathname, '/inbox/');
});

let firstId;

step('(a)(b) a request: banner, countdown, looping sound, a browser notification; Accept stops the sound', async () => {
  await visitor.goto(`${baseUrl}/demo`);
  await visitor.getByTestId('widget-launcher').click();
  await requestChat(visitor, FIRST);
  await visitor.getByTestId('widget-waiting').waitFor();

  const banner = agent.getByTestId('request-banner');
  await banner.waitFor();
  firstId = Number(await banner.getAttribute('data-conversation-id'));
  assert.equal(await agent.getByTestId('request-visitor-name').textContent(), FIRST.name);
  assert.equal(await agent.getByTestId('request-visitor-email').textContent(), FIRST.email);

  const countdown = agent.getByTestId('request-countdown');
  const s1 = Number(await countdown.getAttribute('data-seconds'));
  assert.ok(s1 > 90 && s1 <= 100, `the countdown starts near 100 s (${s1})`);
  await until(async () => Number(await countdown.getAttribute('data-seconds')) <= s1 - 2, 'the countdown to tick down');
  assert.match(await countdown.textContent(), /^1:3\d left$/);

  await until(async () => (await audioState()).paused === false, 'the request sound to play');
  const audio = await audioState();
  assert.equal(audio.loop, true, 'the sound repeats');
  assert.equal(audio.muted, false);
  assert.match(audio.src, /\/inbox\/sounds\/request\.wav$/);
  assert.equal(await agent.title(), '(1) Parley Inbox');

  const notes = await until(async () => {
    const list = await notifications();
    return list.length ? list : null;
  }, 'a browser notification');
  assert.deepEqual(notes, [{ title: 'New chat request', body: `${FIRST.name} · ${FIRST.email}`, tag: `parley-request-${firstId}`, closed: false }]);
  await shot(agent, 'n05-request-banner-countdown');

  await agent.getByTestId('request-accept').click();
  await banner.waitFor({ state: 'detached' });
  await until(async () => (await audioState()).paused === true, 'the sound to stop after Accept');
  assert.equal((await notifications())[0].closed, true, 'the notification is closed');
  await until(async () => (await agent.getByTestId('chat-visitor-name').textContent()) === FIRST.name, 'the chat to open');
  await until(async () => (await agent.title()) === 'Parley Inbox', 'the title without a count');
  await until(() => widgetEvent(visitor, 'chat-started'), 'parley:chat-started');
});

step('inactivity: the quiet chat ends, both sides say why', async () => {
  // The inactivity timeout is 5 s (set above): no message from either side ends it.
  await visitor.getByTestId('widget-ended').waitFor({ timeout: 15_000 });
  const widgetText = (await visitor.getByTestId('widget-ended-text').textContent()).trim();
  assert.match(widgetText, /^This chat ended after \d+ seconds? without messages$/);
  assert.equal(await agent.evaluate(() => window.__sameDocument), true);
  await until(async () => (await agent.getByTestId('chat-status').textContent()) === 'Ended', 'the Inbox to show Ended');
  const notes = await texts(agent.locator('[data-testid="system-note"][data-kind="chat.ended"]'));
  assert.equal(notes.length, 1);
  assert.match(notes[0], /^Chat ended after \d+ seconds? without messages/);
  await until(() => widgetEvent(visitor, 'chat-ended'), 'parley:chat-ended');
  const reason = await visitor.evaluate(() => window.__parleyEvents.find((e) => e.type === 'chat-ended').detail.reason);
  assert.equal(reason, 'inactivity');
  await shot(visitor, 'n06-widget-inactivity');
});

step('(d) offer timeout: the banner says it timed out, the visitor gets the fallback and parley:chat-timed-out', async () => {
  const res = await apiCall(agent, 'PUT', '/admin/settings', { accept_timeout_seconds: 5 });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.settings.accept_timeout_seconds, 5);

  await visitor.getByTestId('widget-new-chat').click();
  await requestChat(visitor, SECOND);
  const banner = agent.getByTestId('request-banner');
  await banner.waitFor();
  assert.equal(await agent.getByTestId('request-visitor-name').textContent(), SECOND.name);
  const left = Number(await agent.getByTestId('request-countdown').getAttribute('data-seconds'));
  assert.ok(left >= 1 && left <= 5, `a 5 s window (${left})`);
  await until(async () => (await audioState()).paused === false, 'the sound to ring again');

  // Clicking the browser notification focuses the Inbox on the request: Accept gets the focus.
  const id = Number(await banner.getAttribute('data-conversation-id'));
  await until(async () => (await notifications()).some((n) => n.tag === `parley-request-${id}`), 'a notification for the second request');
  await agent.evaluate((tag) => window.__notifications.find((n) => n.tag === tag).instance.onclick(new Event('click')), `parley-request-${id}`);
  await until(() => agent.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'request-accept'), 'Accept to have the focus');
  assert.match(await banner.getAttribute('class'), /is-focused/);

  // Nobody accepts: the offer lapses, and with a single agent there is nobody else.
  const note = agent.getByTestId('request-message');
  await note.waitFor({ timeout: 15_000 });
  assert.match(await note.textContent(), /Request timed out — /);
  assert.equal(await note.getAttribute('data-reason'), 'timeout');
  await shot(agent, 'n07-request-timed-out');
  await until(async () => (await audioState()).paused === true, 'the sound to stop when the request is gone');
  assert.equal((await notifications()).find((n) => n.tag === `parley-request-${id}`).closed, true);
  await banner.waitFor({ state: 'detached', timeout: 10_000 });

  const missed = visitor.getByTestId('widget-missed');
  await missed.waitFor({ timeout: 10_000 });
  assert.equal(await missed.getAttribute('data-reason'), 'no_answer');
  assert.equal((await visitor.getByTestId('widget-missed-message').textContent()).trim(), FALLBACK);
  await until(() => widgetEvent(visitor, 'chat-timed-out'), 'parley:chat-timed-out');
  const ev = await visitor.evaluate(() => window.__parleyEvents.filter((e) => e.type === 'chat-timed-out' || e.type === 'chat-missed').map((e) => [e.type, e.detail.conversation_id, e.detail.reason ?? null]));
  assert.deepEqual(ev, [
    ['chat-timed-out', id, null],
    ['chat-missed', id, 'no_answer'],
  ]);
  await shot(visitor, 'n08-widget-timed-out');
  assert.equal(await agent.getByTestId('conversation-row').count(), 0, 'an unaccepted request never becomes a live chat');
});

step('autoplay refused: the "Enable sound" prompt comes back, and its click starts the ringing', async () => {
  // Make every play() fail the way a browser refuses autoplay.
  await agent.evaluate(() => {
    window.__realPlay = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = () => Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
  });
  await visitor.getByTestId('widget-missed-new-chat').click();
  await requestChat(visitor, { name: 'Paula Prompt', email: 'paula@example.com' });
  await agent.getByTestId('request-banner').waitFor();
  await agent.getByTestId('enable-sound').waitFor();
  assert.match(await agent.getByTestId('alert-setup').getAttribute('class'), /is-warning/);
  assert.match(await agent.getByTestId('alert-setup').textContent(), /blocked the request sound/);
  assert.equal((await audioState()).paused, true);
  await shot(agent, 'n09-sound-blocked');

  await agent.evaluate(() => (HTMLMediaElement.prototype.play = window.__realPlay));
  await agent.getByTestId('enable-sound').click();
  await until(async () => (await audioState()).paused === false, 'the sound to ring after the click');
  await agent.getByTestId('enable-sound').waitFor({ state: 'detached' });
  await agent.getByTestId('request-accept').click();
  await agent.getByTestId('request-banner').waitFor({ state: 'detached' });
  await until(async () => (await audioState()).paused === true, 'the sound to stop after Accept');
});

step('the toggle overrides the schedule until midnight; escaping holds everywhere', async () => {
  const toggle = agent.getByTestId('availability-toggle');
  await toggle.click();
  await until(async () => (await toggleText()) === 'Unavailable — override until midnight', '"Unavailable — override until midnight"');
  assert.equal(await toggle.getAttribute('data-source'), 'override');
  await toggle.click();
  await until(async () => (await toggle.getAttribute('data-state')) === 'available', 'Available again');
  assert.match(await toggleText(), /^Available — /);
  assert.deepEqual(dialogs, [], 'no alert() ran');
  assert.equal(await agent.locator('[data-testid="request-banner"] img, [data-testid="conversation-list"] img').count(), 0);
  assert.equal(await agent.evaluate(() => window.__sameDocument), true, 'the whole run was one page load');
});
