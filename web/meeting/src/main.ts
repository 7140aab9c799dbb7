// The visitor's meeting page, /meeting/#<token>: the link in the booking confirmation. No login:
// the token in the fragment (never sent to the server as part of a page URL) is the secret. Shows
// the meeting (agent, time in the visitor's own zone, status) and lets the visitor cancel it,
// move it to another free slot, or download the invitation (.ics).
// Text only: every string goes through the text-node DOM builder.
import './style.css';
import { ApiError, fetchJson } from '../../shared/http';
import { append, clear, h } from '../../shared/dom';
import { newPickerView, slotPicker } from '../../shared/slot-picker';
import { cleanMeeting, cleanSlots, localZone, meetingWhen, zoneAbbr } from '../../shared/slots';
import type { Meeting, Slot } from '../../shared/protocol';
import { browserLanguage } from '../../shared/language';
import { initI18n, language, t } from '../../shared/i18n';
import en from './locales/en.json';
import sv from './locales/sv.json';

// The visitor's browser language (shared/language.ts), with i18next (locales/*.json).
initI18n({ en, sv }, browserLanguage());

const TEXTS = {
  get network() {
    return t('network');
  },
  failed: () => t('failed'),
};

interface State {
  phase: 'loading' | 'ready' | 'invalid' | 'error';
  token: string;
  meeting: Meeting | null;
  slots: Slot[];
  error: string | null;
  notice: string | null;
  taken: boolean;
  moving: boolean;
  confirmingCancel: boolean;
  selected: Slot | null;
  busy: boolean;
}

const app = document.getElementById('app') as HTMLElement;
const zone = localZone();
const view = newPickerView();
const st: State = {
  phase: 'loading',
  token: '',
  meeting: null,
  slots: [],
  error: null,
  notice: null,
  taken: false,
  moving: false,
  confirmingCancel: false,
  selected: null,
  busy: false,
};

function tokenFromHash(): string {
  const raw = location.hash.replace(/^#/, '').trim();
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const base = () => `/api/v1/meeting-links/${encodeURIComponent(st.token)}`;

function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return fetchJson<T>(
    base() + path,
    {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    },
    TEXTS,
  );
}

async function load(): Promise<void> {
  st.token = tokenFromHash();
  st.meeting = null;
  st.error = null;
  st.notice = null;
  st.moving = false;
  st.confirmingCancel = false;
  st.selected = null;
  if (!st.token) {
    st.phase = 'invalid';
    render();
    return;
  }
  st.phase = 'loading';
  render();
  try {
    const res = await call<{ meeting: Meeting; slots: Slot[] }>('GET', '');
    const meeting = cleanMeeting(res?.meeting);
    if (!meeting) throw new ApiError(500, 'bad_answer', t('unreadable'));
    st.meeting = meeting;
    st.slots = cleanSlots(res?.slots);
    st.phase = 'ready';
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400 || e.status === 401 || e.status === 403)) st.phase = 'invalid';
    else {
      st.phase = 'error';
      st.error = e instanceof ApiError ? e.message : TEXTS.failed();
    }
  }
  render();
}

async function cancel(): Promise<void> {
  if (st.busy) return;
  st.busy = true;
  st.error = null;
  render();
  try {
    const res = await call<{ meeting: Meeting }>('POST', '/cancel');
    st.meeting = cleanMeeting(res?.meeting) ?? (st.meeting ? { ...st.meeting, status: 'cancelled' } : null);
    st.notice = t('cancelledNotice');
    st.confirmingCancel = false;
    st.moving = false;
  } catch (e) {
    st.error = e instanceof ApiError ? e.message : TEXTS.failed();
    if (e instanceof ApiError && e.status === 409) void refreshMeeting();
  }
  st.busy = false;
  render();
}

/** Re-reads the meeting (e.g. after a 409: it changed meanwhile). */
async function refreshMeeting(): Promise<void> {
  try {
    const res = await call<{ meeting: Meeting; slots: Slot[] }>('GET', '');
    const meeting = cleanMeeting(res?.meeting);
    if (meeting) st.meeting = meeting;
    st.slots = cleanSlots(res?.slots);
    render();
  } catch {
    /* keep what is shown */
  }
}

async function move(): Promise<void> {
  if (st.busy || !st.selected) return;
  st.busy = true;
  st.error = null;
  st.taken = false;
  render();
  try {
    const res = await call<{ meeting: Meeting }>('POST', '/reschedule', { start: st.selected.start });
    const meeting = cleanMeeting(res?.meeting);
    if (meeting) st.meeting = meeting;
    st.notice = t('movedNotice');
    st.moving = false;
    st.selected = null;
    void refreshMeeting(); // fresh free times for a next move
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) {
      st.taken = true;
      st.selected = null;
      if (e.data && Array.isArray(e.data.slots)) st.slots = cleanSlots(e.data.slots);
      else void refreshMeeting();
    } else {
      st.error = e instanceof ApiError ? e.message : TEXTS.failed();
    }
  }
  st.busy = false;
  render();
}

function render(): void {
  app.setAttribute('data-state', st.phase);
  clear(app);
  const brand = h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), h('span', null, 'Parley'));
  if (st.phase === 'loading') {
    append(app, [brand, h('div', { class: 'card' }, h('p', { class: 'muted' }, t('loading')))]);
    return;
  }
  if (st.phase === 'invalid') {
    append(app, [
      brand,
      h(
        'div',
        { class: 'card', 'data-testid': 'manage-invalid' },
        h('h1', null, t('badLinkTitle')),
        h('p', { class: 'muted' }, t('badLinkText')),
      ),
    ]);
    return;
  }
  if (st.phase === 'error' || !st.meeting) {
    append(app, [
      brand,
      h(
        'div',
        { class: 'card' },
        h('p', { class: 'error', role: 'alert', 'data-testid': 'manage-error' }, st.error ?? TEXTS.failed()),
        h('button', { type: 'button', class: 'btn', onclick: () => void load() }, t('tryAgain')),
      ),
    ]);
    return;
  }
  const m = st.meeting;
  const cancelled = m.status === 'cancelled';
  const passed = m.passed || m.end <= Date.now();
  const canChange = !cancelled && !passed;
  document.title = t('titleWith', { name: m.agent_name || t('us') });

  const card = h(
    'div',
    { class: 'card', 'data-testid': 'manage-meeting', 'data-meeting-id': m.id, 'data-status': m.status },
    h(
      'div',
      { class: 'card-head' },
      h('h1', null, t('headingWith'), h('span', { 'data-testid': 'manage-agent' }, m.agent_name || t('ourTeam'))),
      h('span', { class: `status is-${m.status}`, 'data-testid': 'manage-status' }, t(`status.${m.status}`)),
    ),
    h('p', { class: `when${cancelled ? ' is-cancelled' : ''}`, 'data-testid': 'manage-when', 'data-start': m.start }, meetingWhen(m.start, m.end, zone)),
    h('p', { class: 'muted small', 'data-testid': 'manage-zone' }, t('shownInZone', { zone: zone.replace(/_/g, ' ') })),
    m.booker_email ? h('p', { class: 'muted' }, t('bookedFor'), h('span', { 'data-testid': 'manage-email' }, m.booker_email)) : null,
    st.notice ? h('p', { class: 'notice', role: 'status', 'data-testid': 'manage-notice' }, st.notice) : null,
    cancelled && !st.notice ? h('p', { class: 'muted', 'data-testid': 'manage-cancelled' }, t('wasCancelled')) : null,
    passed && !cancelled ? h('p', { class: 'muted', 'data-testid': 'manage-passed' }, t('hasPassed')) : null,
    st.error ? h('p', { class: 'error', role: 'alert', 'data-testid': 'manage-error' }, st.error) : null,
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'btn btn-secondary', href: `${base()}/invite.ics?lang=${language()}`, download: `meeting-${m.id}.ics`, 'data-testid': 'manage-ics' }, cancelled ? t('downloadCancellation') : t('downloadInvitation')),
      canChange && !st.confirmingCancel
        ? h(
            'button',
            {
              type: 'button',
              class: `btn btn-secondary${st.moving ? ' is-pressed' : ''}`,
              'aria-expanded': st.moving ? 'true' : 'false',
              'data-testid': 'manage-reschedule',
              onclick: () => {
                st.moving = !st.moving;
                st.selected = null;
                st.taken = false;
                st.notice = null;
                render();
              },
            },
            t('reschedule'),
          )
        : null,
      canChange && !st.confirmingCancel
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn btn-danger',
              'data-testid': 'manage-cancel',
              onclick: () => {
                st.confirmingCancel = true;
                st.moving = false;
                st.notice = null;
                render();
              },
            },
            t('cancelMeeting'),
          )
        : null,
      st.confirmingCancel
        ? h(
            'span',
            { class: 'confirm', role: 'group', 'aria-label': t('cancelQuestion') },
            h('span', null, t('cancelQuestion')),
            h('button', { type: 'button', class: 'btn btn-danger', disabled: st.busy, 'data-testid': 'manage-cancel-confirm', onclick: () => void cancel() }, st.busy ? t('cancelling') : t('yesCancel')),
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn-secondary',
                disabled: st.busy,
                'data-testid': 'manage-cancel-keep',
                onclick: () => {
                  st.confirmingCancel = false;
                  render();
                },
              },
              t('keepIt'),
            ),
          )
        : null,
    ),
  );
  append(app, [brand, card]);
  if (st.moving && canChange) append(app, [moveCard()]);
}

function moveCard(): HTMLElement {
  const abbr = zoneAbbr(Date.now(), zone);
  return h(
    'div',
    { class: 'card', 'data-testid': 'manage-move-card' },
    h('h2', null, t('pickNew')),
    h('p', { class: 'muted small' }, t('timesInZone', { zone: zone.replace(/_/g, ' ') + (abbr ? ` (${abbr})` : '') })),
    st.taken ? h('p', { class: 'taken', role: 'alert', 'data-testid': 'manage-taken' }, t('taken')) : null,
    st.slots.length
      ? slotPicker({
          slots: st.slots,
          zone,
          selected: st.selected?.start ?? null,
          view,
          disabled: st.busy,
          onPick: (s) => {
            st.selected = s;
            st.taken = false;
            render();
          },
          onView: render,
          texts: { showAll: (count: number) => t('slots.showAll', { count }), moreDays: (count: number) => t('slots.moreDays', { count }) },
          ids: { day: 'manage-day', dayTitle: 'manage-day-title', slot: 'manage-slot', moreDays: 'manage-more-days', moreTimes: 'manage-more-times' },
        })
      : h('p', { class: 'muted', 'data-testid': 'manage-no-slots' }, t('noSlots')),
    st.selected
      ? h(
          'div',
          { class: 'confirm-move' },
          h('p', { class: 'when', 'data-testid': 'manage-new-time' }, meetingWhen(st.selected.start, st.selected.end, zone)),
          h('button', { type: 'button', class: 'btn', disabled: st.busy, 'data-testid': 'manage-move', onclick: () => void move() }, st.busy ? t('moving') : t('moveHere')),
        )
      : null,
  );
}

window.addEventListener('hashchange', () => void load());
void load();
