// Meeting booking inside the widget: the calendar card an agent shared (free slots of that
// agent in the visitor's own time zone, grouped by day; pick one, confirm with an email, Book),
// and the confirmation cards of meeting.booked / rescheduled / cancelled events.
// Everything is built with the text-only DOM builder: agent names and emails are never HTML.
import { ApiError, type VisitorApi } from './api';
import { ICONS, append, clear, h, icon } from './dom';
import { newPickerView, slotPicker } from '../../shared/slot-picker';
import { EMAIL_RE, cleanMeeting, cleanSlots, localZone, meetingWhen, zoneAbbr } from '../../shared/slots';
import type { CalendarCardBody, Meeting, MeetingEventBody, MeetingStatus, Slot } from './types';
import { t } from './i18n';

/** What a card needs from the widget. */
export interface CardHost {
  readonly api: VisitorApi;
  conversationId(): number | null;
  /** The visitor's email when known (pre-chat form), else ''. */
  knownEmail(): string;
  /** A booking went through: tell the host page, keep the manage link, fetch the new events. */
  booked(card: CalendarCard, meeting: Meeting, manageToken: string): void;
  /** The newest status of a meeting according to the conversation's events, if any. */
  latestStatus(meetingId: number): MeetingStatus | null;
  /** The manage page of a meeting, when its link is known in this browser. */
  manageUrl(meetingId: number): string | null;
}


/** Keeps the keyboard focus (and caret) on an element that a re-render detached and re-attached. */
export function keepFocus(root: Document | ShadowRoot, fn: () => void): void {
  const active = root.activeElement as HTMLElement | null;
  let range: [number | null, number | null] | null = null;
  if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) {
    try {
      range = [active.selectionStart, active.selectionEnd];
    } catch {
      range = null;
    }
  }
  fn();
  if (active && active.isConnected && root.activeElement !== active) {
    active.focus({ preventScroll: true });
    if (range && range[0] != null && (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement)) {
      try {
        active.setSelectionRange(range[0], range[1] ?? range[0]);
      } catch {
        /* type=email has no selection API */
      }
    }
  }
}

/** Downloads the meeting's invitation (.ics) with the visitor's token (a plain link cannot carry it). */
export async function downloadInvite(api: VisitorApi, meetingId: number, near: Node): Promise<void> {
  const blob = await api.invite(meetingId);
  const url = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: 'text/calendar' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `meeting-${meetingId}.ics`;
  a.hidden = true;
  (near.getRootNode() as ShadowRoot | Document).appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// meeting.booked / rescheduled / cancelled: their titles are cal.kind.<kind>.
const KINDS = new Set(['meeting.booked', 'meeting.rescheduled', 'meeting.cancelled']);

/** The slot picker's words in the widget's language. */
export const pickerTexts = {
  showAll: (count: number) => t('slots.showAll', { count }),
  moreDays: (count: number) => t('slots.moreDays', { count }),
};

/**
 * A meeting confirmation: what, when (in the visitor's zone), with whom, for which email, its
 * status, and the invitation download (+ the manage link when this browser booked it).
 */
export function meetingCard(host: CardHost, m: MeetingEventBody, kind: string, source: 'card' | 'event'): HTMLElement {
  const zone = localZone();
  const latest = host.latestStatus(m.meeting_id);
  const cancelled = m.status === 'cancelled';
  const error = h('div', { class: 'cal-error', role: 'alert', hidden: true, 'data-testid': 'widget-meeting-error' });
  const ics = h(
    'a',
    {
      href: '#',
      class: 'cal-link',
      'data-testid': 'widget-meeting-ics',
      onclick: (e: Event) => {
        e.preventDefault();
        error.hidden = true;
        downloadInvite(host.api, m.meeting_id, ics).catch((err) => {
          error.textContent = err instanceof ApiError ? err.message : t('cal.icsFailed');
          error.hidden = false;
        });
      },
    },
    icon(ICONS.download, 14),
    cancelled ? t('cal.downloadCancellation') : t('cal.downloadInvitation'),
  );
  const manage = !cancelled && latest !== 'cancelled' ? host.manageUrl(m.meeting_id) : null;
  const later =
    latest && latest !== m.status && !(m.status === 'scheduled' && latest === 'scheduled')
      ? latest === 'cancelled'
        ? t('cal.cancelledLater')
        : t('cal.movedLater')
      : null;
  return h(
    'div',
    {
      class: `cal-card meeting-card is-${m.status}${later ? ' is-stale' : ''}`,
      'data-testid': 'widget-meeting',
      'data-meeting-id': m.meeting_id,
      'data-status': m.status,
      'data-kind': kind,
      'data-source': source,
    },
    h(
      'div',
      { class: 'cal-head' },
      h('span', { class: 'cal-icon' }, icon(cancelled ? ICONS.close : ICONS.check, 16)),
      h('div', { class: 'cal-title', 'data-testid': 'widget-meeting-title' }, KINDS.has(kind) ? t(`cal.kind.${kind}`) : t('cal.meeting')),
      // The pill tells where the meeting stands now; the card's own status is in data-status.
      h('span', { class: `cal-status is-${latest ?? m.status}`, 'data-testid': 'widget-meeting-status' }, t(`cal.status.${latest ?? m.status}`)),
    ),
    h('div', { class: 'cal-when', 'data-testid': 'widget-meeting-time', 'data-start': m.start }, meetingWhen(m.start, m.end, zone)),
    m.agent_name ? h('div', { class: 'cal-line', 'data-testid': 'widget-meeting-agent' }, t('cal.with', { name: m.agent_name })) : null,
    m.booker_email ? h('div', { class: 'cal-line cal-muted', 'data-testid': 'widget-meeting-email' }, t('cal.bookedFor', { email: m.booker_email })) : null,
    later ? h('div', { class: 'cal-line cal-muted', 'data-testid': 'widget-meeting-later' }, later) : null,
    h(
      'div',
      { class: 'cal-actions' },
      ics,
      manage ? h('a', { class: 'cal-link', href: manage, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'widget-meeting-manage' }, t('cal.manage')) : null,
    ),
    error,
  );
}

type Phase = 'loading' | 'ready' | 'error' | 'unavailable' | 'booked';

/** One shared calendar (one `calendar.card` event): keeps its element and state across renders. */
export class CalendarCard {
  readonly el: HTMLDivElement;
  private phase: Phase = 'loading';
  private slots: Slot[] = [];
  private selected: Slot | null = null;
  private view = newPickerView();
  private taken = false;
  private error: string | null = null;
  private busy = false;
  private meeting: Meeting | null = null;
  /** The conversation already shows a meeting with this agent after the card (after a reload). */
  private folded = false;
  private unfolded = false;
  private readonly email: HTMLInputElement;
  private emailTouched = false;
  private readonly body: HTMLDivElement;

  constructor(
    private readonly host: CardHost,
    readonly seq: number,
    readonly card: CalendarCardBody,
  ) {
    this.email = h('input', {
      type: 'email',
      class: 'cal-input',
      maxlength: 200,
      autocomplete: 'email',
      placeholder: 'you@example.com',
      'aria-label': t('cal.yourEmail'),
      'data-testid': 'widget-book-email',
    });
    this.email.addEventListener('input', () => {
      this.emailTouched = true;
      if (this.error) {
        this.error = null;
        this.render();
      }
    });
    this.email.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        void this.book();
      }
    });
    this.body = h('div', { class: 'cal-body' });
    this.el = h('div', { class: 'cal-card', 'data-testid': 'widget-calendar', 'data-agent-id': card.agent_id, 'data-seq': seq });
    void this.load();
  }

  /** The meeting this card booked in this page (its meeting.booked event is not shown twice). */
  get bookedMeetingId(): number | null {
    return this.meeting?.id ?? null;
  }

  /**
   * Called by the widget on every render: is there a meeting with this agent later in the log? A
   * booked card is redrawn too (its confirmation says when the meeting was moved or cancelled).
   */
  sync(folded: boolean): void {
    if (folded === this.folded && this.phase !== 'booked') return;
    this.folded = folded;
    this.render();
  }

  private async load(): Promise<void> {
    this.phase = 'loading';
    this.render();
    try {
      const res = await this.host.api.slots(this.card.agent_id);
      this.slots = cleanSlots(res?.slots);
      this.phase = 'ready';
      if (this.selected && !this.slots.some((s) => s.start === this.selected!.start)) this.selected = null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) this.phase = 'unavailable';
      else {
        this.phase = 'error';
        this.error = e instanceof ApiError ? e.message : t('cal.loadFailed');
      }
    }
    this.render();
  }

  private pick(slot: Slot): void {
    if (this.busy) return;
    this.selected = slot;
    this.taken = false;
    this.error = null;
    this.render();
    window.setTimeout(() => {
      this.el.querySelector('.cal-confirm')?.scrollIntoView({ block: 'nearest' });
      if (!this.email.value.trim()) this.email.focus();
    }, 20);
  }

  private async book(): Promise<void> {
    if (this.busy || !this.selected) return;
    const email = this.email.value.trim();
    if (!EMAIL_RE.test(email)) {
      this.error = email ? t('cal.emailInvalid') : t('cal.emailMissing');
      this.render();
      this.email.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    this.taken = false;
    this.render();
    try {
      const res = await this.host.api.book(this.card.agent_id, this.selected.start, email, this.host.conversationId());
      const meeting = cleanMeeting(res?.meeting);
      if (!meeting) throw new ApiError(500, 'bad_answer', t('cal.notConfirmed'));
      this.meeting = { ...meeting, agent_name: meeting.agent_name || this.card.agent_name, booker_email: meeting.booker_email || email };
      this.phase = 'booked';
      this.busy = false;
      this.render();
      this.host.booked(this, this.meeting, String(res.manage_token ?? ''));
      return;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        this.taken = true;
        this.selected = null;
        const fresh = e.data && Array.isArray(e.data.slots) ? cleanSlots(e.data.slots) : null;
        if (fresh) this.slots = fresh;
        else {
          this.busy = false;
          await this.load();
          this.taken = true;
          this.render();
          return;
        }
      } else if (e instanceof ApiError && e.status === 404) {
        this.phase = 'unavailable';
      } else {
        this.error = e instanceof ApiError ? e.message : t('cal.notBooked');
      }
    }
    this.busy = false;
    this.render();
    if (this.taken) this.el.querySelector('.cal-taken')?.scrollIntoView({ block: 'nearest' });
  }

  render(): void {
    if (!this.emailTouched && !this.email.value) this.email.value = this.host.knownEmail();
    const root = this.el.getRootNode() as Document | ShadowRoot;
    keepFocus(root instanceof ShadowRoot || root instanceof Document ? root : document, () => this.draw());
  }

  private draw(): void {
    const zone = localZone();
    const state = this.phase === 'ready' && this.folded && !this.unfolded ? 'done' : this.phase;
    this.el.setAttribute('data-state', state);
    this.el.className = `cal-card is-${state}`;
    clear(this.el);
    if (this.phase === 'booked' && this.meeting) {
      const m = this.meeting;
      append(this.el, [
        meetingCard(
          this.host,
          { meeting_id: m.id, agent_id: m.agent_id, agent_name: m.agent_name, start: m.start, end: m.end, booker_email: m.booker_email, status: m.status },
          'meeting.booked',
          'card',
        ),
      ]);
      return;
    }
    const head = h(
      'div',
      { class: 'cal-head' },
      h('span', { class: 'cal-icon' }, icon(ICONS.calendar, 16)),
      h('div', { class: 'cal-title', 'data-testid': 'widget-calendar-title' }, t('cal.bookWith', { name: this.card.agent_name })),
    );
    clear(this.body);
    if (state === 'done') {
      append(this.body, [
        h('p', { class: 'cal-line cal-muted' }, t('cal.youBooked', { name: this.card.agent_name })),
        h(
          'button',
          {
            type: 'button',
            class: 'cal-link cal-button-link',
            'data-testid': 'widget-calendar-again',
            onclick: () => {
              this.unfolded = true;
              void this.load();
            },
          },
          t('cal.another'),
        ),
      ]);
    } else if (state === 'loading') {
      append(this.body, [h('p', { class: 'cal-line cal-muted', 'data-testid': 'widget-calendar-loading' }, t('cal.loading'))]);
    } else if (state === 'unavailable') {
      append(this.body, [h('p', { class: 'cal-line cal-muted', 'data-testid': 'widget-calendar-unavailable' }, t('cal.unavailable'))]);
    } else if (state === 'error') {
      append(this.body, [
        h('div', { class: 'cal-error', role: 'alert', 'data-testid': 'widget-calendar-error' }, this.error ?? t('cal.loadFailed')),
        h('button', { type: 'button', class: 'cal-link cal-button-link', onclick: () => void this.load() }, t('cal.tryAgain')),
      ]);
    } else {
      const abbr = zoneAbbr(Date.now(), zone);
      append(this.body, [
        this.taken ? h('div', { class: 'cal-taken', role: 'alert', 'data-testid': 'widget-calendar-taken' }, t('cal.taken')) : null,
        h('p', { class: 'cal-zone', 'data-testid': 'widget-calendar-zone', 'data-zone': zone }, t('cal.zone', { zone: zone.replace(/_/g, ' ') + (abbr ? ` (${abbr})` : '') })),
        this.slots.length
          ? slotPicker({
              slots: this.slots,
              zone,
              selected: this.selected?.start ?? null,
              view: this.view,
              disabled: this.busy,
              onPick: (s) => this.pick(s),
              onView: () => this.render(),
              texts: pickerTexts,
              ids: { day: 'widget-calendar-day', dayTitle: 'widget-calendar-day-title', slot: 'widget-slot', moreDays: 'widget-more-days', moreTimes: 'widget-more-times' },
            })
          : h('p', { class: 'cal-line cal-muted', 'data-testid': 'widget-calendar-empty' }, t('cal.noSlots')),
        this.selected ? this.confirmBox(this.selected, zone) : null,
        this.error && this.selected == null ? h('div', { class: 'cal-error', role: 'alert', 'data-testid': 'widget-book-error' }, this.error) : null,
      ]);
    }
    append(this.el, [head, this.body]);
  }

  private confirmBox(slot: Slot, zone: string): HTMLElement {
    const book = h(
      'button',
      { type: 'button', class: 'btn cal-book', disabled: this.busy, 'data-testid': 'widget-book', onclick: () => void this.book() },
      this.busy ? t('cal.booking') : t('cal.book'),
    );
    return h(
      'div',
      { class: 'cal-confirm' },
      h('div', { class: 'cal-when', 'data-testid': 'widget-book-time', 'data-start': slot.start }, meetingWhen(slot.start, slot.end, zone)),
      h('label', { class: 'cal-label' }, t('cal.yourEmail'), this.email),
      this.error ? h('div', { class: 'cal-error', role: 'alert', 'data-testid': 'widget-book-error' }, this.error) : null,
      h(
        'div',
        { class: 'cal-confirm-actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'cal-link cal-button-link',
            disabled: this.busy,
            onclick: () => {
              this.selected = null;
              this.error = null;
              this.render();
            },
          },
          t('cal.back'),
        ),
        book,
      ),
    );
  }
}
