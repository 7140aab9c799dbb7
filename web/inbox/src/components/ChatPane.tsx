import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { PageInfo, State, Store, PendingMessage } from '../store';
import { NOT_FOUND, errorText } from '../store';
import { inviteUrl, transcriptUrl } from '../api';
import type { Agent, CalendarRef, ChatEvent, Summary } from '../types';
import { clockTime, dayLabel, initials, meetingDateTime, quietSpanBefore, safeHref, shortUrl, statusLabel, systemText } from '../format';
import { isMeetingKind, parseMeetingBody } from '../../../shared/slots';
import { FollowupEmail } from './FollowupEmail';
import { t } from '../i18n';
import { LoadFailed } from './LoadState';
import { BackButton } from './BackButton';
import { isOnePane } from '../layout';

export function ChatPane({ store, state, id }: { store: Store; state: State; id: number | null }) {
  if (id == null) {
    return (
      <section class="col col-chat" aria-label={t('chat.region')}>
        <div class="empty empty-center" data-testid="chat-empty">
          <ChatIllustration />
          <p class="empty-title">{t('chat.noneTitle')}</p>
          <p class="muted">{t('chat.noneText')}</p>
        </div>
      </section>
    );
  }
  const conv = state.convs[id];
  const events = state.events[id];
  const pending = state.pending[id] ?? [];
  const typing = (state.typingUntil[id] ?? 0) > Date.now();
  const error = state.historyError[id];

  if (store.isNotFound(id) && !events) {
    // A conversation that does not exist, or another agent's live chat: the server says 404.
    return (
      <section class="col col-chat" aria-label={t('chat.region')} data-testid="chat-pane" data-conversation-id={id}>
        <div class="empty empty-center" data-testid="chat-not-found">
          <p class="empty-title">{t('chat.notFoundTitle')}</p>
          <p class="muted">{t('chat.notFoundText')}</p>
          <button type="button" class="btn btn-sm" onClick={() => store.select(null)}>
            {t('chat.backToInbox')}
          </button>
        </div>
      </section>
    );
  }

  // While the chat is live the header follows the visitor's current page; afterwards it shows the
  // page the chat happened on.
  const live = conv?.status === 'active' || conv?.status === 'pending';
  const page: PageInfo = (live && state.page[id]) || { url: conv?.page_url || null, title: null };
  return (
    <section class="col col-chat" aria-label={t('chat.region')} data-testid="chat-pane" data-conversation-id={id}>
      <ChatHeader store={store} conv={conv} page={page} />
      <Messages
        conv={conv}
        events={events}
        pending={pending}
        store={store}
        id={id}
        typing={typing}
        error={error === NOT_FOUND ? t('chat.notVisible') : error}
        loading={!!state.historyLoading[id]}
        seenSeq={state.visitorRead[id] ?? 0}
        older={state.olderExists[id]}
        olderLoading={!!state.olderLoading[id]}
        olderError={state.olderError[id]}
        replayHead={state.replayHead[id]}
      />
      <Composer key={id} store={store} id={id} conv={conv} />
    </section>
  );
}

function ChatHeader({ store, conv, page }: { store: Store; conv: Summary | undefined; page: PageInfo }) {
  if (!conv) {
    return (
      <header class="chat-head">
        <BackButton store={store} label={t('chat.conversations')} />
      </header>
    );
  }
  const href = safeHref(page.url);
  const inactive = conv.status === 'ended' || conv.status === 'missed';
  const title = (page.title ?? '').trim();
  return (
    <header class="chat-head">
      <BackButton store={store} label={t('chat.conversations')} />
      <span class={`avatar ${conv.status === 'active' ? 'avatar-live' : ''}`}>{initials(conv.visitor_name)}</span>
      <div class="chat-head-text">
        <div class="chat-head-title">
          <h2 data-testid="chat-visitor-name">{conv.visitor_name || t('chat.visitorNumber', { id: conv.visitor_id })}</h2>
          <span class={`status status-${conv.status}`} data-testid="chat-status">
            {statusLabel(conv.status)}
          </span>
        </div>
        <div class="chat-head-sub" data-testid="chat-page">
          {page.url ? (
            <>
              <span class="page-label muted">{inactive ? t('chat.wasOn') : t('chat.on')}</span>{' '}
              {title && (
                <span class="page-title" data-testid="chat-page-title" title={title}>
                  {title}
                </span>
              )}
              {title && <span class="muted"> · </span>}
              {href ? (
                <a href={href} target="_blank" rel="noopener noreferrer" title={page.url} data-testid="chat-page-url">
                  {shortUrl(page.url)}
                </a>
              ) : (
                <span data-testid="chat-page-url">{page.url}</span>
              )}
            </>
          ) : (
            <span class="muted" data-testid="chat-page-url">
              {t('chat.pageUnknown')}
            </span>
          )}
          {conv.agent_name && <span class="muted">{t('chat.withAgent', { name: conv.agent_name })}</span>}
        </div>
      </div>
      {conv.status === 'missed' && <FollowUpControls store={store} conv={conv} />}
      {inactive && (
        // A plain link: the server writes the .txt (Content-Disposition: attachment).
        <a class="btn btn-sm" href={transcriptUrl(conv.id)} download data-testid="download-transcript">
          {t('chat.downloadTranscript')}
        </a>
      )}
      {/* One-pane layout (phones): the visitor panel is a screen of its own. */}
      <button type="button" class="btn btn-sm info-btn" onClick={() => store.showInfo()} data-testid="open-visitor-info">
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
          <circle cx="12" cy="8" r="4" />
          <path d="M4 21a8 8 0 0 1 16 0" />
        </svg>
        {t('chat.visitor')}
      </button>
    </header>
  );
}

function Messages(props: {
  store: Store;
  id: number;
  conv: Summary | undefined;
  events: ChatEvent[] | undefined;
  pending: PendingMessage[];
  typing: boolean;
  error: string | undefined;
  loading: boolean;
  /** The newest seq the visitor has seen. */
  seenSeq: number;
  /** Older events exist before the first one held (undefined: not known yet). */
  older: boolean | undefined;
  olderLoading: boolean;
  olderError: string | undefined;
  /** The head seq of the last `subscribed` answer (the resume is complete once it is held). */
  replayHead: number | undefined;
}) {
  const { store, id, conv, events, pending, typing, error, loading, seenSeq, older, olderLoading, olderError, replayHead } = props;
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastId = useRef<number | null>(null);
  /** The first seq on screen after the last commit, and the list's geometry just before this one. */
  const shownFirst = useRef(0);
  const before = useRef<{ id: number; first: number; height: number; top: number } | null>(null);

  const first = events?.[0]?.seq ?? 0;
  // Read during render, i.e. before the DOM changes: if older messages are about to be put above
  // the view, the layout effect below moves the scroll position by exactly their height.
  if (ref.current && lastId.current === id) before.current = { id, first: shownFirst.current, height: ref.current.scrollHeight, top: ref.current.scrollTop };

  /** Near the top with older messages on the server: the page before the first one held. */
  const loadOlderIfNear = () => {
    const el = ref.current;
    if (!el || !older || olderLoading || olderError || el.clientHeight === 0) return;
    if (el.scrollTop < NEAR_TOP_PX) void store.loadOlder(id);
  };

  // Follow new messages while the agent is at the bottom; jump to the end on a new conversation;
  // keep the view steady when an older page lands above it.
  const count = (events?.length ?? 0) + pending.length + (typing ? 1 : 0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (lastId.current !== id) {
      lastId.current = id;
      stick.current = true;
      before.current = null;
    }
    const b = before.current;
    if (stick.current) el.scrollTop = el.scrollHeight;
    else if (b && b.id === id && b.first && first && first < b.first) el.scrollTop = b.top + (el.scrollHeight - b.height);
    shownFirst.current = first;
    // A short first page (or a tall window) leaves nothing to scroll: read on until it fills.
    loadOlderIfNear();
  }, [id, count, first, older, olderLoading]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    loadOlderIfNear();
  };

  // Delivered / Seen goes under the agent's last stored message.
  let lastAgentSeq = 0;
  for (let i = (events?.length ?? 0) - 1; i >= 0; i--) {
    const ev = events![i];
    if (ev.kind === 'text' && ev.sender === 'agent') {
      lastAgentSeq = ev.seq;
      break;
    }
  }
  const zone = store.state.me?.time_zone;
  const top = events?.length ? events[events.length - 1].seq : 0;
  const history = olderLoading ? 'loading' : olderError ? 'error' : older ? 'more' : older === false ? 'start' : 'unknown';
  let lastDay = '';
  let prevSender = '';
  return (
    <div
      class="messages"
      ref={ref}
      onScroll={onScroll}
      data-testid="message-list"
      data-history={history}
      data-first-seq={first || undefined}
      data-synced={replayHead === undefined ? undefined : top >= replayHead ? 'true' : 'false'}
      aria-live="polite"
    >
      {error && <LoadFailed error={error} onRetry={() => store.loadHistory(id)} />}
      {!events && loading && <div class="list-loading">{t('chat.loading')}</div>}
      {!!events?.length && (older || olderError || store.reachedStart(id)) && (
        // One fixed-height slot, whatever it says, so its text changing never moves the messages.
        <div class="history-edge" data-testid="history-edge" data-state={history}>
          {olderLoading ? (
            <span data-testid="history-loading">{t('chat.olderLoading')}</span>
          ) : olderError ? (
            <span class="form-error" data-testid="history-error">
              {t('chat.olderError')}{' '}
              <button type="button" class="link-btn" onClick={() => void store.loadOlder(id)}>
                {t('chat.retry')}
              </button>
            </span>
          ) : older ? (
            <button type="button" class="link-btn" onClick={() => void store.loadOlder(id)} data-testid="history-more">
              {t('chat.older')}
            </button>
          ) : (
            <span data-testid="history-start">{t('chat.start')}</span>
          )}
        </div>
      )}
      {events?.map((ev) => {
        const day = dayLabel(ev.created_at, zone);
        const sep = day !== lastDay ? <DaySep key={`d-${ev.seq}`} label={day} /> : null;
        lastDay = day;
        if (isMeetingKind(ev.kind)) {
          prevSender = '';
          return [sep, <MeetingEventCard key={ev.seq} ev={ev} zone={zone} me={store.state.me} />];
        }
        if (ev.kind !== 'text') {
          prevSender = '';
          return [
            sep,
            <div key={ev.seq} class="system-note" data-testid="system-note" data-kind={ev.kind} data-seq={ev.seq}>
              <span>{systemText(ev.kind, ev.body, conv?.end_reason, ev.kind === 'chat.ended' ? quietSpanBefore(events, ev) : null)}</span>
              <time>{clockTime(ev.created_at, zone)}</time>
            </div>,
          ];
        }
        const grouped = prevSender === ev.sender && !sep;
        prevSender = ev.sender;
        const mine = ev.sender === 'agent';
        return [
          sep,
          <div
            key={ev.seq}
            class={`msg ${mine ? 'msg-out' : 'msg-in'} ${grouped ? 'is-grouped' : ''}`}
            data-testid="message"
            data-sender={ev.sender}
            data-seq={ev.seq}
          >
            <div class="bubble" data-testid="message-body">
              {ev.body}
            </div>
            <div class="msg-meta">
              {clockTime(ev.created_at, zone)}
              {ev.seq === lastAgentSeq &&
                (seenSeq >= ev.seq ? (
                  <span class="receipt is-seen">
                    {' · '}
                    <span data-testid="message-seen">{t('chat.seen')}</span>
                  </span>
                ) : (
                  <span class="receipt">
                    {' · '}
                    <span data-testid="message-delivered">{t('chat.delivered')}</span>
                  </span>
                ))}
            </div>
          </div>,
        ];
      })}
      {pending.map((p) => (
        <div
          key={p.client_id}
          class={`msg msg-out is-pending ${p.status === 'failed' ? 'is-failed' : ''}`}
          data-testid="message"
          data-sender="agent"
          data-pending="true"
        >
          <div class="bubble" data-testid="message-body">
            {p.body}
          </div>
          <div class="msg-meta">
            {p.status === 'sending' ? (
              <span data-testid="message-pending">{t('chat.sending')}</span>
            ) : (
              <span class="msg-failed">
                {p.error ?? t('chat.notSent')}{' '}
                <button type="button" class="link-btn" onClick={() => store.retry(id, p.client_id)}>
                  {t('chat.retry')}
                </button>{' '}
                <button type="button" class="link-btn" onClick={() => store.discard(id, p.client_id)}>
                  {t('chat.discard')}
                </button>
              </span>
            )}
          </div>
        </div>
      ))}
      {typing && (
        <div class="typing" data-testid="typing-indicator">
          <span class="dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {t('chat.typing', { name: conv?.visitor_name || t('chat.visitor') })}
        </div>
      )}
      {events && events.length === 0 && !pending.length && !loading && !error && <p class="muted center">{t('chat.noMessages')}</p>}
    </div>
  );
}

/** How close to the top of the timeline (px) an older page is read. */
const NEAR_TOP_PX = 200;

// meeting.booked / rescheduled / cancelled: their titles have the same keys.
const MEETING_KINDS = new Set(['meeting.booked', 'meeting.rescheduled', 'meeting.cancelled']);

/**
 * A meeting.booked / rescheduled / cancelled event: when (in the agent's zone), who, status, and
 * the .ics download — for the meeting's own agent and admins, the only ones the server gives it to.
 */
function MeetingEventCard({ ev, zone, me }: { ev: ChatEvent; zone: string | undefined; me: Agent | null }) {
  const m = parseMeetingBody(ev.body, ev.kind);
  if (!m) return null; // a malformed body is not shown
  const tz = m.time_zone || zone || undefined;
  // Whoever may see this chat may download the invitation of a meeting booked in it.
  const mayDownload = !!me;
  return (
    <div class={`meeting-event is-${m.status}`} data-testid="meeting-card" data-kind={ev.kind} data-seq={ev.seq} data-meeting-id={m.meeting_id} data-status={m.status}>
      <div class="meeting-event-head">
        <CalendarIcon />
        <strong data-testid="meeting-card-title">{MEETING_KINDS.has(ev.kind) ? t(ev.kind) : t('meeting.meeting')}</strong>
        <span class={`status meeting-status-${m.status}`} data-testid="meeting-card-status">
          {t(`meeting.status.${m.status}`)}
        </span>
        <time class="muted">{clockTime(ev.created_at, zone)}</time>
      </div>
      <div class="meeting-event-when" data-testid="meeting-card-time" data-start={m.start}>
        {meetingDateTime(m.start, tz)}–{clockTime(m.end, tz)} <span class="muted small">({(tz ?? t('meeting.localTime')).replace(/_/g, ' ')})</span>
      </div>
      <div class="meeting-event-who">
        {m.agent_name && (
          <span>
            {t('meeting.with')} <span data-testid="meeting-card-agent">{m.agent_name}</span> ·{' '}
          </span>
        )}
        {t('meeting.bookedBy')} <span data-testid="meeting-card-email">{m.booker_email || '-'}</span>
      </div>
      {mayDownload && (
        <a class="meeting-event-ics" href={inviteUrl(m.meeting_id)} download data-testid="meeting-card-ics">
          {t('meeting.downloadIcs')}
        </a>
      )}
    </div>
  );
}

function CalendarIcon({ size = 16 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d="M8 2v4M16 2v4M3 10h18" />
      <rect x="3" y="4" width="18" height="18" rx="2" />
    </svg>
  );
}

function DaySep({ label }: { label: string }) {
  return (
    <div class="day-sep" role="separator">
      <span>{label}</span>
    </div>
  );
}

function Composer({ store, id, conv }: { store: Store; id: number; conv: Summary | undefined }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const active = conv?.status === 'active';
  const mine = active && conv?.agent_id === store.state.me?.id;

  // A chat that is yours and live gets the cursor when opened (the component is keyed by id) —
  // not on a phone, where a focused box would pop the on-screen keyboard over the messages.
  useLayoutEffect(() => {
    if (mine && !isOnePane()) area.current?.focus();
  }, [mine]);

  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = Math.min(el.scrollHeight, 160) + 'px';
  }, [text]);

  function send() {
    if (!text.trim()) return;
    const err = store.send(id, text);
    setError(err);
    if (!err) setText('');
  }

  const placeholder = !conv
    ? ''
    : conv.status === 'active'
      ? mine
        ? isOnePane()
          ? t('composer.reply')
          : t('composer.replyKeys')
        : t('composer.notYours')
      : conv.status === 'pending'
        ? t('composer.accept')
        : t('composer.ended');

  return (
    <form
      class={`composer ${mine ? '' : 'is-disabled'}`}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      data-testid="composer"
    >
      {error && (
        <div class="form-error composer-error" role="alert">
          {error}
        </div>
      )}
      {picking && mine && <CalendarPicker store={store} id={id} onClose={() => setPicking(false)} />}
      <div class="composer-row">
        <textarea
          ref={area}
          rows={1}
          value={text}
          disabled={!mine}
          placeholder={placeholder}
          aria-label={t('composer.message')}
          onInput={(e) => {
            setText((e.target as HTMLTextAreaElement).value);
            if (mine) store.typing(id);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
          data-testid="composer-input"
        />
        {mine && (
          <button
            type="button"
            class={`icon-btn composer-calendar ${picking ? 'is-open' : ''}`}
            aria-label={t('composer.shareCalendar')}
            title={t('composer.shareCalendar')}
            aria-expanded={picking ? 'true' : 'false'}
            onClick={() => setPicking(!picking)}
            data-testid="composer-calendar"
          >
            <CalendarIcon size={20} />
          </button>
        )}
        <button type="submit" class="btn btn-primary" disabled={!mine || !text.trim()} data-testid="composer-send">
          {t('composer.send')}
        </button>
      </div>
    </form>
  );
}

/**
 * The calendar picker above the composer: the agent's own calendar first, then every other agent
 * with a meeting calendar (GET /calendars); Send posts a calendar card into the chat.
 */
function CalendarPicker({ store, id, onClose }: { store: Store; id: number; onClose: () => void }) {
  const [list, setList] = useState<CalendarRef[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choice, setChoice] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  const load = () => {
    setLoadError(null);
    store.loadCalendars().then(
      (calendars) => {
        setList(calendars);
        const first = calendars[0];
        setChoice((prev) => (prev != null && calendars.some((c) => c.agent_id === prev) ? prev : first?.agent_id ?? null));
      },
      (e) => setLoadError(errorText(e)),
    );
  };
  useEffect(load, []);

  // Esc or a click elsewhere closes it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    const onDown = (e: MouseEvent) => {
      const el = box.current;
      const target = e.target as Node | null;
      if (el && target && !el.contains(target) && !(target instanceof Element && target.closest('[data-testid="composer-calendar"]'))) onClose();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [onClose]);

  async function send() {
    if (choice == null || sending) return;
    setSending(true);
    setError(null);
    const err = await store.shareCalendar(id, choice);
    setSending(false);
    if (err) setError(err);
    else onClose();
  }

  return (
    <div class="cal-picker" ref={box} role="dialog" aria-label={t('composer.shareCalendar')} data-testid="calendar-picker" data-state={list ? 'ready' : 'loading'}>
      <div class="cal-picker-head">
        <strong>{t('composer.shareCalendar')}</strong>
        <button type="button" class="icon-btn" aria-label={t('picker.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <p class="muted small cal-picker-sub">{t('picker.sub')}</p>
      {loadError && <LoadFailed error={loadError} onRetry={load} testid="calendar-picker-error" />}
      {!list && !loadError && <div class="list-loading">{t('picker.loading')}</div>}
      {list && list.length === 0 && (
        <p class="muted cal-picker-empty" data-testid="calendar-picker-empty">
          {t('picker.none')}{' '}
          <button type="button" class="link-btn" onClick={() => store.navigate('calendar')}>
            {t('picker.setUpYours')}
          </button>
        </p>
      )}
      {list && list.length > 0 && (
        <ul class="cal-options" role="radiogroup" aria-label={t('picker.calendars')}>
          {list.map((c) => (
            <li key={c.agent_id}>
              <label class={`cal-option ${choice === c.agent_id ? 'is-selected' : ''}`} data-testid="calendar-option" data-agent-id={c.agent_id} data-own={c.own ? 'true' : 'false'}>
                <input type="radio" name={`calendar-${id}`} checked={choice === c.agent_id} onChange={() => setChoice(c.agent_id)} />
                <span class="avatar avatar-xs">{initials(c.agent_name)}</span>
                <span class="cal-option-name" data-testid="calendar-option-name">
                  {c.agent_name}
                </span>
                {c.own && <span class="muted small">{t('picker.you')}</span>}
              </label>
            </li>
          ))}
        </ul>
      )}
      {list && list.length > 0 && !list.some((c) => c.own) && (
        <p class="muted small cal-picker-empty" data-testid="calendar-picker-no-own">
          {t('picker.ownNotBookable')}{' '}
          <button type="button" class="link-btn small" onClick={() => store.navigate('calendar')}>
            {t('picker.setItUp')}
          </button>
        </p>
      )}
      {error && (
        <p class="form-error" role="alert" data-testid="calendar-send-error">
          {error}
        </p>
      )}
      <div class="cal-picker-foot">
        <button type="button" class="btn btn-ghost btn-sm" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" class="btn btn-primary btn-sm" disabled={choice == null || sending} onClick={() => void send()} data-testid="calendar-send">
          {sending ? t('chat.sending') : t('composer.send')}
        </button>
      </div>
    </div>
  );
}

function ChatIllustration() {
  return (
    <svg width="88" height="72" viewBox="0 0 88 72" aria-hidden="true" class="illustration">
      <rect x="4" y="6" width="52" height="34" rx="10" fill="var(--surface-2)" stroke="var(--border)" />
      <rect x="14" y="17" width="30" height="4" rx="2" fill="var(--border-strong)" />
      <rect x="14" y="25" width="20" height="4" rx="2" fill="var(--border-strong)" />
      <rect x="32" y="30" width="52" height="34" rx="10" fill="var(--accent-soft)" stroke="var(--accent-border)" />
      <rect x="42" y="41" width="32" height="4" rx="2" fill="var(--accent)" opacity=".55" />
      <rect x="42" y="49" width="22" height="4" rx="2" fill="var(--accent)" opacity=".35" />
    </svg>
  );
}

/** A missed chat's follow-up: who has it, and Claim / Release / Mark done (the server decides who may). */
function FollowUpControls({ store, conv }: { store: Store; conv: Summary }) {
  const f = conv.followup ?? null;
  const me = store.state.me?.id;
  const mine = !!f && f.agent_id === me;
  return (
    <div class="followup" data-testid="followup" data-state={!f ? 'open' : f.done_at ? 'done' : mine ? 'mine' : 'claimed'}>
      <span class="muted" data-testid="followup-status">
        {!f ? t('followup.unclaimed') : f.done_at ? t('followup.doneBy', { name: f.agent_name }) : t('followup.claimedBy', { name: f.agent_name })}
      </span>
      {!f && (
        <button type="button" class="btn btn-sm btn-primary" onClick={() => store.followup(conv.id, 'claim')} data-testid="followup-claim">
          {t('followup.claim')}
        </button>
      )}
      {f && !f.done_at && mine && (
        <>
          <button type="button" class="btn btn-sm" onClick={() => store.followup(conv.id, 'release')} data-testid="followup-release">
            {t('followup.release')}
          </button>
          <button type="button" class="btn btn-sm btn-primary" onClick={() => store.followup(conv.id, 'done')} data-testid="followup-done">
            {t('followup.done')}
          </button>
          <FollowupEmail conv={conv} />
        </>
      )}
    </div>
  );
}
