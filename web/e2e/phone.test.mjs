// Phones (issue 13): the agent and the visitor each on a 390×844 touch screen. The Inbox shows one
// pane at a time (conversation list → chat → visitor panel) with a visible Back and the browser's
// Back, the top bar and the request banner always on screen, and no page wider than the phone
// (Settings, Meetings included). The widget sits on a host page wider than the phone (a 1200 px
// element; and one without a meta viewport, which the phone zooms out): its launcher stays inside
// what the visitor sees, at its own size, and the open panel covers the screen. Then a whole chat:
// request from the phone widget → Accept on the phone Inbox → messages both ways → visitor panel →
// End session, which asks first (Cancel keeps the chat). Screenshots: phone-*.png.
import { before, after } from 'node:test';
import http from 'node:http';
import assert from 'node:assert/strict';
import { assertNoSeriousA11yViolations, bookMeeting, cleanup, launchBrowser, layoutProblems, newPage, phoneContext, recordWidgetEvents, requestChat, scenario, shot, signIn, startServer, until, widgetEvent } from './helpers.mjs';

const AGENT = { name: 'Alice Agent', email: 'alice@example.com', password: 'alice-pass-1', role: 'admin' };
const VISITOR = { name: 'Vera Visitor', email: 'vera@example.com' };

/** A host page with an element wider than any phone, with or without `<meta name="viewport">`. */
const widePage = (meta, widgetSrc) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${meta ? '<meta name="viewport" content="width=device-width, initial-scale=1">' : ''}
<title>A wide host page</title></head>
<body style="margin:0;font-family:Georgia,serif">
<h1 style="margin:16px">Wide host page</h1>
<div style="width:1200px;height:320px;background:linear-gradient(90deg,#fde68a,#93c5fd);padding:16px">This banner is 1200 px wide.</div>
<p style="margin:16px">Text under it.</p>
<script src="${widgetSrc}" async></script>
</body></html>`;

/** "Another site": the two host pages, served from their own origin (the widget comes from Parley's). */
function startHostSite(widgetSrc) {
  const site = http.createServer((req, res) => {
    const meta = req.url === '/wide.html' ? true : req.url === '/wide-no-meta.html' ? false : null;
    res.writeHead(meta === null ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(meta === null ? 'not found' : widePage(meta, widgetSrc));
  });
  return new Promise((resolve) => site.listen(0, '127.0.0.1', () => resolve(site)));
}

let dataDir, server, baseUrl, browser, site, siteUrl;
let agent, visitor;
const dialogs = [];
const flow = scenario('phone', () => [agent, visitor]);
const { step } = flow;

const visible = (page, id) => page.getByTestId(id).isVisible();
const w = (id) => visitor.getByTestId(id);

/** The widget's launcher and panel against the visual viewport (all in the page's CSS pixels). */
const widgetGeometry = () =>
  visitor.evaluate(() => {
    const vv = window.visualViewport;
    const root = document.querySelector('parley-chat').shadowRoot;
    const box = (id) => {
      const e = root.querySelector(`[data-testid="${id}"]`);
      if (!e || !e.getClientRects().length) return null;
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    return {
      view: { left: vv.offsetLeft, top: vv.offsetTop, right: vv.offsetLeft + vv.width, bottom: vv.offsetTop + vv.height },
      scale: vv.scale,
      launcher: box('widget-launcher'),
      panel: box('widget-panel'),
    };
  });

const inside = (b, v) => b && b.left >= v.left - 1 && b.top >= v.top - 1 && b.right <= v.right + 1 && b.bottom <= v.bottom + 1;
const covers = (b, v) => b && Math.abs(b.left - v.left) < 2 && Math.abs(b.top - v.top) < 2 && Math.abs(b.right - v.right) < 2 && Math.abs(b.bottom - v.bottom) < 2;

/** The launcher in sight at its own on-screen size (56 px whatever the page's zoom); the panel closed. */
async function assertLauncherInSight(what) {
  const g = await widgetGeometry();
  assert.ok(inside(g.launcher, g.view), `${what}: the launcher ${JSON.stringify(g.launcher)} is inside the visible area ${JSON.stringify(g.view)}`);
  const onScreen = (g.launcher.right - g.launcher.left) * g.scale;
  assert.ok(onScreen > 50 && onScreen < 62, `${what}: the launcher is ${onScreen.toFixed(1)} px on the screen (zoom ${g.scale})`);
}

async function assertPanelCoversScreen(what) {
  const g = await widgetGeometry();
  assert.ok(covers(g.panel, g.view), `${what}: the open panel ${JSON.stringify(g.panel)} covers the visible area ${JSON.stringify(g.view)}`);
}

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([AGENT]));
  browser = await launchBrowser();
  site = await startHostSite(`${baseUrl}/widget.js`);
  siteUrl = `http://127.0.0.1:${site.address().port}`;
  agent = await newPage(await phoneContext(browser), 'agent', dialogs);
  visitor = await newPage(await phoneContext(browser), 'visitor', dialogs);
  await recordWidgetEvents(visitor);
});

after(async () => {
  site?.close();
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken });
});

step('the agent signs in on a phone: the conversation list alone, the top bar on screen, nothing wider than the phone', async () => {
  await signIn(agent, baseUrl, AGENT);
  await agent.getByTestId('conversation-search').waitFor();
  assert.equal(await visible(agent, 'chat-empty'), false, 'no empty chat column beside the list');
  assert.deepEqual(await layoutProblems(agent, ['open-inbox', 'open-meetings', 'open-settings', 'availability-toggle', 'logout', 'filter-active', 'filter-all', 'conversation-search']), []);
  const toggle = agent.getByTestId('availability-toggle');
  await toggle.click();
  await until(async () => (await toggle.getAttribute('data-state')) === 'available', 'the toggle to show Available');
  await agent.getByTestId('alerts-dismiss').click();
});

step('the widget on a host page without a meta viewport (zoomed out to fit 1200 px): the launcher in sight at its own size, the panel covers the screen', async () => {
  await visitor.goto(`${siteUrl}/wide-no-meta.html`);
  await w('widget-launcher').waitFor();
  const g = await widgetGeometry();
  assert.ok(g.scale < 0.6, `the phone zoomed the page out (scale ${g.scale})`);
  await assertLauncherInSight('zoomed out');
  await w('widget-launcher').click();
  await w('widget-panel').waitFor();
  await assertPanelCoversScreen('zoomed out');
  await w('widget-close').click();
  await w('widget-panel').waitFor({ state: 'hidden' });
});

step('the widget on a host page with a 1200 px element: still in sight after scrolling sideways; the visitor asks for an agent from the phone', async () => {
  await visitor.goto(`${siteUrl}/wide.html`);
  await w('widget-launcher').waitFor();
  assert.ok(await visitor.evaluate(() => document.documentElement.scrollWidth > 1000), 'the host page is wider than the phone');
  await assertLauncherInSight('the wide page');
  // The visitor swipes sideways: what they see moves right, the page itself stays where it is laid out.
  await visitor.mouse.wheel(700, 0);
  await until(async () => (await visitor.evaluate(() => window.visualViewport.offsetLeft)) > 300, 'the view to move sideways');
  await until(async () => inside((await widgetGeometry()).launcher, (await widgetGeometry()).view), 'the launcher to follow the visible area');
  await assertLauncherInSight('scrolled sideways');
  // A tap where the visitor sees it (Playwright's own click aims in page coordinates, which a
  // sideways-moved view does not show there).
  const g = await widgetGeometry();
  await visitor.touchscreen.tap((g.launcher.left + g.launcher.right) / 2 - g.view.left, (g.launcher.top + g.launcher.bottom) / 2 - g.view.top);
  await w('prechat-form').waitFor();
  await assertPanelCoversScreen('the form, the view moved sideways');
  // Back to the left edge (where Playwright's clicks land), the panel with it.
  await visitor.mouse.wheel(-900, 0);
  await until(async () => (await visitor.evaluate(() => window.visualViewport.offsetLeft)) === 0, 'the view back at the left edge');
  await until(async () => covers((await widgetGeometry()).panel, (await widgetGeometry()).view), 'the panel to follow');
  await assertPanelCoversScreen('the form');
  await requestChat(visitor, VISITOR);
  await w('widget-waiting').waitFor();
  await assertPanelCoversScreen('waiting');
});

step('the request banner is on the agent’s phone screen; Accept opens the chat as its own pane, with Back', async () => {
  await agent.getByTestId('request-banner').waitFor();
  assert.deepEqual(await layoutProblems(agent, ['request-banner', 'request-accept', 'request-countdown', 'availability-toggle']), []);
  await agent.getByTestId('request-accept').click();
  await agent.getByTestId('chat-pane').waitFor();
  await agent.getByTestId('composer-input').waitFor();
  assert.equal(await visible(agent, 'conversation-search'), false, 'the list is not shown beside the chat');
  assert.equal(await visible(agent, 'visitor-panel'), false, 'nor the visitor panel');
  assert.deepEqual(await layoutProblems(agent, ['pane-back', 'chat-visitor-name', 'open-visitor-info', 'composer-input', 'composer-send', 'availability-toggle']), []);
  await until(() => widgetEvent(visitor, 'chat-started'), 'parley:chat-started');
});

step('chat both ways between the two phones', async () => {
  await agent.getByTestId('composer-input').fill('Hi Vera! I am on my phone too. How can I help?');
  await agent.getByTestId('composer-send').click();
  await until(async () => (await w('widget-message').count()) >= 1, 'the agent’s message in the widget');
  await w('widget-input').fill('Do you have a plan for a team of twelve?');
  await w('widget-send').click();
  await until(async () => (await agent.locator('[data-testid="message"][data-sender="visitor"]').count()) === 1, 'the visitor’s message in the Inbox');
  await until(async () => (await agent.getByTestId('message-seen').count()) === 1, '"Seen" under the agent’s message');
  assert.deepEqual(await layoutProblems(agent, ['composer-input', 'composer-send', 'pane-back']), []);
  await assertPanelCoversScreen('the chat');
  await shot(agent, 'phone-chat');
  await shot(visitor, 'phone-widget');
  await assertNoSeriousA11yViolations(agent, 'the chat pane on a phone');
  await assertNoSeriousA11yViolations(visitor, 'the widget full-screen on a phone', ['parley-chat']);
});

step('the browser’s Back goes from the chat to the list; a tap opens the chat again', async () => {
  await agent.goBack();
  await until(async () => await visible(agent, 'conversation-search'), 'the list pane');
  assert.equal(await visible(agent, 'chat-pane'), false, 'the chat pane is gone');
  assert.equal(new URL(agent.url()).hash, '', 'no conversation in the URL');
  const row = agent.getByTestId('conversation-row');
  await row.first().waitFor();
  assert.deepEqual(await layoutProblems(agent, ['conversation-row', 'conversation-snippet', 'conversation-time', 'availability-toggle']), []);
  await shot(agent, 'phone-inbox-list');
  await assertNoSeriousA11yViolations(agent, 'the conversation list on a phone');
  await row.first().click();
  await agent.getByTestId('chat-pane').waitFor();
  assert.equal(await visible(agent, 'conversation-search'), false);
});

step('the visitor panel is a pane of its own: Visitor opens it, Back (visible or the browser’s) returns to the chat', async () => {
  await agent.getByTestId('open-visitor-info').click();
  await agent.getByTestId('visitor-panel').waitFor();
  assert.equal(await visible(agent, 'chat-pane'), false, 'the chat is not shown beside it');
  await until(async () => (await agent.getByTestId('visitor-email').textContent()) === VISITOR.email, 'the visitor’s email');
  assert.deepEqual(await layoutProblems(agent, ['pane-back', 'end-session', 'visitor-name', 'visitor-email', 'activity-list']), []);
  await shot(agent, 'phone-visitor');
  await assertNoSeriousA11yViolations(agent, 'the visitor pane on a phone');
  await agent.getByTestId('visitor-panel').getByTestId('pane-back').click();
  await agent.getByTestId('chat-pane').waitFor();
  assert.equal(await visible(agent, 'visitor-panel'), false);
  await agent.getByTestId('open-visitor-info').click();
  await agent.goBack();
  await agent.getByTestId('chat-pane').waitFor();
  assert.equal(await visible(agent, 'visitor-panel'), false, 'the browser’s Back closed the visitor pane');
  await agent.getByTestId('open-visitor-info').click();
  await agent.getByTestId('visitor-panel').waitFor();
});

step('End session asks first: Cancel keeps the chat; confirming ends it on both phones', async () => {
  await agent.getByTestId('end-session').click();
  const dialog = agent.getByTestId('end-session-dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /End this chat\?/);
  assert.deepEqual(await layoutProblems(agent, ['end-session-dialog', 'end-session-confirm', 'end-session-cancel']), []);
  await agent.getByTestId('end-session-cancel').click();
  await dialog.waitFor({ state: 'detached' });
  assert.ok(await visible(agent, 'end-session'), 'the chat is still active (End session is still offered)');
  assert.ok(await w('widget-composer').isVisible(), 'the visitor can still write');

  await agent.getByTestId('end-session').click();
  await agent.getByTestId('end-session-confirm').click();
  await w('widget-ended').waitFor();
  await until(() => widgetEvent(visitor, 'chat-ended'), 'parley:chat-ended');
  await until(async () => (await agent.getByTestId('end-session').count()) === 0, 'no End session once ended');
});

step('Settings (every tab) and Meetings on the phone: nothing wider than the screen, the controls on it', async () => {
  await bookMeeting(baseUrl, agent, 'sam@example.com');
  await agent.getByTestId('open-settings').click();
  for (const [nav, ready, controls] of [
    ['nav-my-settings', 'settings-form', ['settings-time-zone', 'settings-max-chats', 'settings-save']],
    ['nav-calendar', 'calendar-form', ['calendar-time-zone', 'calendar-save']],
    ['nav-team', 'team-table', []],
    ['nav-workspace', 'admin-settings-form', ['admin-accept-timeout', 'admin-save']],
    ['nav-routing', 'routing-order', ['routing-add-team', 'add-account', 'add-rule']],
  ]) {
    await agent.getByTestId(nav).click();
    await agent.getByTestId(ready).waitFor();
    assert.deepEqual(await layoutProblems(agent, [nav, 'open-settings', 'availability-toggle']), [], `Settings (${nav}): the top`);
    assert.deepEqual(await layoutProblems(agent, controls, { sideways: true }), [], `Settings (${nav}): the page`);
  }
  await agent.getByTestId('open-meetings').click();
  await agent.getByTestId('meeting-row').first().waitFor();
  // The table may be wider than the phone: it scrolls inside its own card, never the page.
  assert.deepEqual(await layoutProblems(agent, ['meetings-refresh', 'meetings-count', 'open-inbox']), []);
});
