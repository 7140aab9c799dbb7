import { useEffect, useState } from 'preact/hooks';
import type { State, Store } from '../store';
import type { Meeting, Slot, SlotList } from '../types';
import { errorText } from '../store';
import { inviteUrl } from '../api';
import { clockTime, meetingDateTime } from '../format';
import { useNow } from '../hooks';
import { groupSlotsByDay } from '../../../shared/slots';
import { LoadFailed } from './LoadState';
import { t } from '../i18n';

/**
 * /inbox/meetings: the meetings on the agent's calendar (an admin: everyone's, with Mine / All),
 * newest start first, with their time in the calendar's zone; cancel, reschedule, download .ics.
 */
export function MeetingsPage({ store, state }: { store: Store; state: State }) {
  const admin = state.me?.role === 'admin';
  const scope = admin ? state.meetingsScope : 'mine';
  const list = state.meetings;
  const now = useNow(60_000);
  const upcoming = list?.filter((m) => m.status !== 'cancelled' && !isPassed(m, now)).length ?? 0;

  return (
    <main class="meetings-page" data-testid="meetings-page" data-scope={scope} data-state={list && !state.meetingsLoading ? 'ready' : 'loading'}>
      <div class="meetings-inner">
        <header class="settings-head">
          <div>
            <h2>{t('meetings.title')}</h2>
            <p class="muted">
              {scope === 'all' ? t('meetings.subAll') : t('meetings.subMine')} {t('meetings.subZones')}
            </p>
          </div>
          <div class="meetings-tools">
            {list && (
              <span class="muted" data-testid="meetings-count">
                {t('meetings.upcoming', { count: upcoming })}
              </span>
            )}
            {admin && (
              <div class="segmented" role="tablist" aria-label={t('meetings.whose')}>
                <button type="button" role="tab" aria-selected={scope === 'mine'} class={scope === 'mine' ? 'is-selected' : ''} onClick={() => store.setMeetingsScope('mine')} data-testid="meetings-scope-mine">
                  {t('meetings.mine')}
                </button>
                <button type="button" role="tab" aria-selected={scope === 'all'} class={scope === 'all' ? 'is-selected' : ''} onClick={() => store.setMeetingsScope('all')} data-testid="meetings-scope-all">
                  {t('meetings.all')}
                </button>
              </div>
            )}
            <button type="button" class="btn btn-sm" onClick={() => store.loadMeetings()} disabled={state.meetingsLoading} data-testid="meetings-refresh">
              {t('meetings.refresh')}
            </button>
          </div>
        </header>
        <section class="card card-flush">
          {state.meetingsError && <LoadFailed error={state.meetingsError} onRetry={() => store.loadMeetings()} testid="meetings-error" />}
          {!list && !state.meetingsError && <div class="list-loading">{t('meetings.loading')}</div>}
          {list && list.length === 0 && (
            <div class="empty" data-testid="meetings-empty">
              <p class="empty-title">{t('meetings.emptyTitle')}</p>
              <p class="muted">{t('meetings.emptyText')}</p>
            </div>
          )}
          {list && list.length > 0 && (
            <table class="team-table meetings-table" data-testid="meetings-table">
              <thead>
                <tr>
                  <th scope="col">{t('meetings.bookedBy')}</th>
                  <th scope="col">{t('meetings.agent')}</th>
                  <th scope="col">{t('meetings.time')}</th>
                  <th scope="col">{t('meetings.status')}</th>
                  <th scope="col">{t('meetings.when')}</th>
                  <th scope="col" class="num">
                    {t('meetings.actions')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <MeetingRow key={m.id} store={store} m={m} now={now} />
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </main>
  );
}

function isPassed(m: Meeting, now: number): boolean {
  return m.passed || m.end <= now;
}

function MeetingRow({ store, m, now }: { store: Store; m: Meeting; now: number }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const passed = isPassed(m, now);
  const cancelled = m.status === 'cancelled';
  const canChange = !cancelled && !passed;

  useEffect(() => {
    if (!canChange) {
      setConfirming(false);
      setMoving(false);
    }
  }, [canChange]);

  async function cancel() {
    setBusy(true);
    setError(null);
    const err = await store.cancelMeeting(m.id);
    setBusy(false);
    setConfirming(false);
    if (err) setError(`Not cancelled: ${err}`);
  }

  return (
    <>
      <tr class={`meeting-row ${cancelled ? 'is-cancelled' : ''} ${passed ? 'is-passed' : ''}`} data-testid="meeting-row" data-meeting-id={m.id} data-status={m.status} data-passed={passed ? 'true' : 'false'} data-agent-id={m.agent_id}>
        <td class="meeting-booker" data-testid="meeting-booker">
          {m.booker_email || '-'}
        </td>
        <td data-testid="meeting-agent">{m.agent_name || '-'}</td>
        <td data-testid="meeting-time" data-start={m.start} data-zone={m.time_zone}>
          <div class="meeting-time">
            {meetingDateTime(m.start, m.time_zone)}–{clockTime(m.end, m.time_zone)}
          </div>
          <div class="muted small">{m.time_zone.replace(/_/g, ' ')}</div>
        </td>
        <td>
          <span class={`status meeting-status-${m.status}`} data-testid="meeting-status">
            {t(`meeting.status.${m.status}`)}
          </span>
        </td>
        <td data-testid="meeting-passed" class={passed ? 'muted' : ''}>
          {passed ? t('meetings.passed') : t('meetings.upcomingOne')}
        </td>
        <td class="num">
          <div class="meeting-actions">
          <a class="btn btn-sm btn-ghost" href={inviteUrl(m.id)} download data-testid="meeting-download">
            {t('meeting.downloadIcs')}
          </a>
          {canChange && !confirming && (
            <>
              <button type="button" class={`btn btn-sm ${moving ? 'is-pressed' : ''}`} aria-expanded={moving} onClick={() => setMoving(!moving)} data-testid="meeting-reschedule">
                {t('meetings.reschedule')}
              </button>
              <button type="button" class="btn btn-sm btn-danger" onClick={() => setConfirming(true)} data-testid="meeting-cancel">
                {t('meetings.cancel')}
              </button>
            </>
          )}
          {confirming && (
            <span class="confirm-inline" role="group" aria-label={t('meetings.cancelQuestion')}>
              <span class="small">{t('meetings.cancelIt')}</span>
              <button type="button" class="btn btn-sm btn-danger" disabled={busy} onClick={() => void cancel()} data-testid="meeting-cancel-confirm">
                {busy ? t('meetings.cancelling') : t('meetings.yesCancel')}
              </button>
              <button type="button" class="btn btn-sm btn-ghost" disabled={busy} onClick={() => setConfirming(false)} data-testid="meeting-cancel-keep">
                {t('meetings.keep')}
              </button>
            </span>
          )}
          </div>
          {error && (
            <div class="form-error meeting-error" role="alert" data-testid="meeting-error">
              {error}
            </div>
          )}
        </td>
      </tr>
      {moving && canChange && (
        <tr class="reschedule-row">
          <td colSpan={6}>
            <ReschedulePanel store={store} m={m} onDone={() => setMoving(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

const DAYS_STEP = 3;
const TIMES_PER_DAY = 12;

/** A new free slot of the meeting's agent (GET /calendars/{agent_id}/slots), in the calendar's zone. */
function ReschedulePanel({ store, m, onDone }: { store: Store; m: Meeting; onDone: () => void }) {
  const [data, setData] = useState<SlotList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Slot | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [days, setDays] = useState(DAYS_STEP);
  const [open, setOpen] = useState<Set<string>>(new Set());

  const load = () => {
    setLoadError(null);
    store.loadSlots(m.agent_id).then(setData, (e) => setLoadError(errorText(e)));
  };
  useEffect(load, [m.agent_id]);

  const zone = data?.time_zone || m.time_zone;
  const grouped = data ? groupSlotsByDay(data.slots, zone) : [];

  async function move() {
    if (!selected || busy) return;
    setBusy(true);
    setError(null);
    const res = await store.rescheduleMeeting(m.id, selected.start);
    setBusy(false);
    if (!res.error) {
      onDone();
      return;
    }
    setError(res.error);
    setSelected(null);
    if (res.slots && data) setData({ ...data, slots: res.slots });
    else load();
  }

  return (
    <div class="reschedule" data-testid="reschedule-panel" data-state={data ? 'ready' : 'loading'}>
      <div class="reschedule-head">
        <strong>{t('meetings.moveWith', { who: m.booker_email || t('meetings.theVisitor') })}</strong>
        <span class="muted small">
          {t('meetings.freeTimesOf', { name: data?.agent_name || m.agent_name, zone: zone.replace(/_/g, ' ') })}
        </span>
        <button type="button" class="icon-btn" aria-label={t('picker.close')} onClick={onDone}>
          ×
        </button>
      </div>
      {loadError && <LoadFailed error={loadError} onRetry={load} testid="reschedule-load-error" />}
      {!data && !loadError && <div class="list-loading">{t('meetings.loadingFree')}</div>}
      {data && grouped.length === 0 && (
        <p class="muted" data-testid="reschedule-empty">
          {t('meetings.noFree')}
        </p>
      )}
      {data && grouped.length > 0 && (
        <div class="reschedule-days">
          {grouped.slice(0, days).map((d) => {
            const all = open.has(d.key) || d.slots.length <= TIMES_PER_DAY + 1;
            const shown = all ? d.slots : d.slots.slice(0, TIMES_PER_DAY);
            return (
              <div class="reschedule-day" key={d.key} data-testid="reschedule-day" data-date={d.key}>
                <div class="reschedule-day-title">{d.title}</div>
                <div class="reschedule-slots">
                  {shown.map((s) => (
                    <button
                      type="button"
                      key={s.start}
                      class={`slot-btn ${selected?.start === s.start ? 'is-selected' : ''}`}
                      aria-pressed={selected?.start === s.start}
                      onClick={() => setSelected(s)}
                      data-testid="reschedule-slot"
                      data-start={s.start}
                    >
                      {clockTime(s.start, zone)}
                    </button>
                  ))}
                  {!all && (
                    <button type="button" class="link-btn small" onClick={() => setOpen(new Set([...open, d.key]))}>
                      {t('meetings.allTimes', { count: d.slots.length })}
                    </button>
                  )}
                </div>
              </div>
            );
          })}
          {grouped.length > days && (
            <button type="button" class="link-btn small" onClick={() => setDays(days + DAYS_STEP)} data-testid="reschedule-more-days">
              {t('meetings.moreDays', { count: grouped.length - days })}
            </button>
          )}
        </div>
      )}
      {error && (
        <p class="form-error" role="alert" data-testid="reschedule-error">
          {error}
        </p>
      )}
      <div class="reschedule-foot">
        <button type="button" class="btn btn-ghost btn-sm" onClick={onDone}>
          {t('picker.close')}
        </button>
        <button type="button" class="btn btn-primary btn-sm" disabled={!selected || busy} onClick={() => void move()} data-testid="reschedule-confirm">
          {busy ? t('meetings.moving') : selected ? t('meetings.moveTo', { when: meetingDateTime(selected.start, zone) }) : t('meetings.pickNew')}
        </button>
      </div>
    </div>
  );
}
