// End-to-end for team management (issue 13): an admin adds an agent on the Team page and copies
// the invitation link; the new agent sets a password through it and is signed in; the admin
// deactivates them and their open Inbox is signed out at once. Then the admin edits a visitor's
// person fields in the visitor panel, and imports a small CSV of people (a good file with its
// summary, a bad one with every rejected row and its reason).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, cleanup, httpCall, launchBrowser, newContext, newPage, openInboxSocket, scenario, shot, signIn, startServer, until } from './helpers.mjs';

const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse 9', role: 'admin' };
const ALICE = { name: 'Alice Agent', email: 'alice@example.com', password: 'correct horse 8' };
const NEW = { name: 'Nora Newcomer', email: 'nora@example.com', password: 'nora sets this 1' };
const VISITOR = { name: 'Quinn Visitor', email: 'quinn@example.com' };

let dataDir, server, baseUrl, browser;
let admin, nora;
let convId;
const sockets = [];
const dialogs = [];
const flow = scenario('team', () => [admin, nora]);
const { step } = flow;
const http = (method, apiPath, opts) => httpCall(baseUrl, method, apiPath, opts);
const rowOf = (page, email) => page.locator(`[data-testid="team-row"][data-email="${email}"]`);

before(async () => {
  ({ dataDir, server, baseUrl } = await startServer([ADMIN, ALICE]));
  browser = await launchBrowser();
  admin = await newPage(await newContext(browser, 1440, 900), 'admin', dialogs);
});

after(async () => {
  await cleanup({ browser, servers: [server], dataDir, broken: flow.broken, sockets });
});

step('the admin adds an agent on the Team page and gets an invitation link to copy', async () => {
  await signIn(admin, baseUrl, ADMIN, '/inbox/settings/team');
  await admin.getByTestId('team-table').waitFor();
  await admin.getByTestId('team-add').click();
  await admin.getByTestId('team-add-name').fill(NEW.name);
  await admin.getByTestId('team-add-email').fill(NEW.email);
  await admin.getByTestId('team-add-max').fill('4');
  await admin.getByTestId('team-add-submit').click();
  await admin.getByTestId('team-link').waitFor();
  const url = await admin.getByTestId('team-link-url').inputValue();
  assert.match(url, /^http:\/\/.+\/inbox\/set-password#token=[A-Za-z0-9_-]{40,}$/);
  NEW.link = url;
  const row = rowOf(admin, NEW.email);
  await row.waitFor();
  assert.equal(await row.getByTestId('team-max').textContent(), '4');
  assert.equal(await row.getByTestId('team-avatar').textContent(), 'NN');
  assert.equal(await row.getAttribute('data-active'), 'true');
  await shot(admin, 'team-invitation');
});

step('the new agent sets a password through the link and is signed in', async () => {
  nora = await newPage(await newContext(browser, 1280, 820), 'nora', dialogs);
  await nora.goto(NEW.link);
  await nora.getByTestId('set-password-owner').waitFor();
  assert.match(await nora.getByTestId('set-password-owner').textContent(), /Nora Newcomer \(nora@example\.com\)/);
  assert.equal(new URL(nora.url()).hash, '', 'the secret leaves the address bar at once');
  await nora.getByTestId('set-password-new').fill(NEW.password);
  await nora.getByTestId('set-password-repeat').fill('not the same');
  await nora.getByTestId('set-password-submit').click();
  await nora.getByTestId('set-password-error').waitFor();
  await nora.getByTestId('set-password-repeat').fill(NEW.password);
  await nora.getByTestId('set-password-submit').click();
  await nora.getByTestId('availability-toggle').waitFor();
  // The link worked once.
  const again = await http('POST', '/auth/password-link/check', { body: { token: NEW.link.split('#token=')[1] } });
  assert.equal(again.status, 404);
});

step('the admin deactivates the new agent and their open Inbox is signed out at once', async () => {
  const row = rowOf(admin, NEW.email);
  await row.getByTestId('team-deactivate').click();
  const dialog = admin.getByTestId('team-deactivate-dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /signed out at once/);
  assert.match(await dialog.textContent(), /conversations, messages and visitor history are kept/);
  await admin.getByTestId('team-deactivate-confirm').click();
  await until(async () => (await row.getAttribute('data-active')) === 'false', 'the row marked deactivated');
  await row.getByTestId('team-deactivated-tag').waitFor();
  await nora.getByTestId('login-form').waitFor({ timeout: 10_000 });
  // And the password no longer signs in.
  const login = await http('POST', '/auth/login', { body: { email: NEW.email, password: NEW.password } });
  assert.equal(login.status, 401);
  await shot(admin, 'team-deactivated');
});

step('the last admin cannot demote themselves: the page says why', async () => {
  const row = rowOf(admin, ADMIN.email);
  await row.getByTestId('team-edit').click();
  await admin.getByTestId('team-edit-role').selectOption('agent');
  await admin.getByTestId('team-edit-save').click();
  await admin.getByTestId('team-edit-error').waitFor();
  assert.match(await admin.getByTestId('team-edit-error').textContent(), /last active admin/);
  await admin.getByTestId('team-edit-cancel').click();
});

step('the admin edits the visitor’s person fields in the visitor panel', async () => {
  // Alice takes a chat over the API; the admin (who sees every chat) opens it.
  const login = await http('POST', '/auth/login', { body: { email: ALICE.email, password: ALICE.password } });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  assert.equal((await http('PUT', '/me/availability', { body: { available: true }, cookie })).status, 200);
  sockets.push(await openInboxSocket(baseUrl, cookie));
  const session = await http('POST', '/visitor/session');
  const chat = await http('POST', '/visitor/chats', { token: session.body.visitor_token, body: VISITOR });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  convId = chat.body.conversation.id;
  assert.equal((await http('POST', `/conversations/${convId}/accept`, { cookie })).status, 200);

  await admin.goto(`${baseUrl}/inbox/#/c/${convId}`);
  const panel = admin.getByTestId('visitor-panel');
  await panel.waitFor();
  await until(async () => (await admin.getByTestId('visitor-name').textContent()) === VISITOR.name, 'the visitor panel');
  await admin.getByTestId('person-edit').click();
  await admin.getByTestId('person-name').fill('Quinn <b>Q</b>');
  await admin.getByTestId('person-job-title').fill('CTO');
  await admin.getByTestId('person-phone').fill('+46 8 555 01 01');
  await admin.getByTestId('person-crm-status').fill('Customer');
  await admin.getByTestId('person-save').click();
  await admin.getByTestId('person-form').waitFor({ state: 'detached' });
  await until(async () => (await admin.getByTestId('visitor-crm-status').textContent()) === 'Customer', 'the saved CRM status');
  assert.equal(await admin.getByTestId('visitor-name').textContent(), 'Quinn <b>Q</b>', 'shown as text, not markup');
  assert.equal(await admin.getByTestId('visitor-job-title').textContent(), 'CTO');
  assert.equal(await admin.getByTestId('visitor-phone').textContent(), '+46 8 555 01 01');
  const person = await apiCall(admin, 'GET', `/admin/people?email=${VISITOR.email}`);
  assert.equal(person.body.person.crm_status, 'Customer');
  await shot(admin, 'team-person-edit');
});

step('the admin imports people from a CSV file and sees what happened to each row', async () => {
  await admin.goto(`${baseUrl}/inbox/settings/team`);
  await admin.getByTestId('people-import').waitFor();
  const good = 'email,name,crm_status\nquinn@example.com,Quinn Visitor,Partner\nnew.person@example.com,New Person,Lead\n';
  await admin.getByTestId('people-import-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await admin.getByTestId('people-import-result').waitFor();
  assert.equal(await admin.getByTestId('people-import-result').textContent(), 'Imported 2 rows: 1 new, 1 updated.');
  const bad = 'email,name\nnot-an-email,Nobody\nok@example.com,Fine\nok@example.com,Twice\n';
  await admin.getByTestId('people-import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await admin.getByTestId('people-import-error').waitFor();
  assert.match(await admin.getByTestId('people-import-error').textContent(), /2 rows were rejected/);
  const lines = await admin.getByTestId('people-import-rows').locator('li').allTextContents();
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^Line 2: /);
  assert.match(lines[1], /^Line 4: /);
  assert.equal((await apiCall(admin, 'GET', '/admin/people?email=ok@example.com')).status, 404, 'nothing of the bad file was imported');
  assert.equal((await apiCall(admin, 'GET', '/admin/people?email=quinn@example.com')).body.person.crm_status, 'Partner');
  await shot(admin, 'team-people-import');
});

step('an agent sets their own avatar letters and changes their password in Settings', async () => {
  await admin.getByTestId('nav-my-settings').click();
  await admin.getByTestId('profile-form').waitFor();
  await admin.getByTestId('profile-initials').fill('zz');
  await admin.getByTestId('profile-save').click();
  await until(async () => (await admin.getByTestId('profile-message').textContent()) === 'Profile saved.', 'the profile saved');
  const me = await apiCall(admin, 'GET', '/me');
  assert.equal(me.body.agent.initials, 'ZZ');
  await until(async () => (await admin.getByTestId('me-avatar').textContent()) === 'ZZ', 'the top bar avatar, live');
  await admin.getByTestId('password-current').fill('not my password');
  await admin.getByTestId('password-new').fill('a brand new one 1');
  await admin.getByTestId('password-repeat').fill('a brand new one 1');
  await admin.getByTestId('password-save').click();
  await admin.getByTestId('password-message').waitFor();
  assert.match(await admin.getByTestId('password-message').textContent(), /current password is wrong/);
  await admin.getByTestId('profile-form').waitFor(); // still signed in: a wrong guess is not a lost session
  await admin.getByTestId('password-current').fill(ADMIN.password);
  await admin.getByTestId('password-save').click();
  await until(async () => /Password changed/.test(await admin.getByTestId('password-message').textContent()), 'the password changed');
  const login = await http('POST', '/auth/login', { body: { email: ADMIN.email, password: 'a brand new one 1' } });
  assert.equal(login.status, 200);
  await shot(admin, 'team-profile');
  assert.deepEqual(dialogs, []);
});
