// The visitor chat widget: launcher + panel inside an open shadow root.
// States: pre-chat form -> waiting for an agent -> chat -> ended (or missed: fallback message).
// A chat opens on its newest page of events; older pages are read as the visitor scrolls up.
// Every visitor/agent string is put on the page with textContent, never parsed as HTML.
import { ApiError, VisitorApi, storage, type VisitorActivity } from './api';
import { VisitorSocket } from './socket';
import { trackPageViews } from './pages';
import { ICONS, append, clear, h, icon } from './dom';
import { css } from './styles';
import { CalendarCard, keepFocus, meetingCard, type CardHost } from './calendar';
import { isMeetingKind, parseCardBody, parseMeetingBody } from '../../shared/slots';
import { timeOfDay } from '../../shared/clock';
import type { ChatEvent, Conversation, ConversationStatus, Meeting, MeetingStatus, PreChatForm } from './types';
import { t } from './i18n';

export interface WidgetOptions {
  origin: string;
  accent: string;
  title: string;
}

interface Pending {
  client_id: string;
  body: string;
  status: 'sending' | 'failed';
  error?: string;
}

const OPEN_KEY = 'parley.widget_open';
const PROFILE_KEY = 'parley.visitor_profile';
/** Manage-page tokens of the meetings booked in this browser: {meeting_id: token}. */
const MEETING_LINKS_KEY = 'parley.meeting_links';
const MAX_BODY_BYTES = 4000;
const ACK_TIMEOUT_MS = 8000;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TYPING_SEND_EVERY_MS = 2000;
/** Events per history page: the newest on load, then each older one on scrolling up. */
const PAGE_SIZE = 100;
/** A catch-up over REST reads at most this many newer events; further behind, the newest page. */
const CATCH_UP_LIMIT = 1000;
/** How close to the top of the messages (px) an older page is read. */
const NEAR_TOP_PX = 150;
/** http(s) URLs in a message; trailing punctuation is trimmed off afterwards. */
const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;

function newClientId(): string {
  const b = new Uint8Array(9);
  crypto.getRandomValues(b);
  return 'v-' + Date.now().toString(36) + '-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A message's time: the visitor's own locale and clock, like the calendar cards (shared/clock.ts). */
const clock = (ms: number): string => timeOfDay(ms);

/** "in 30 seconds" from a 429's retry_after_ms (docs/api.md, "Limits"); "in a moment" without one. */
function retryWait(ms: unknown): string {
  const s = Math.ceil(Number(ms) / 1000);
  if (!Number.isFinite(s) || s <= 0) return t('wait.moment');
  return s < 90 ? t('wait.seconds', { count: s }) : t('wait.minutes', { count: Math.ceil(s / 60) });
}

/** "10 minutes", "45 seconds" (rounded down). */
function span(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('span.seconds', { count: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('span.minutes', { count: m });
  const hrs = Math.floor(m / 60);
  return t('span.hours', { count: hrs }) + (m % 60 ? ` ${t('span.minutes', { count: m % 60 })}` : '');
}

/**
 * "This chat ended after 10 minutes without messages": the quiet gap is read from the events
 * (last message or the accept, to the end event), as the conversation carries no timeout.
 */
function inactivityText(events: ChatEvent[]): string {
  const end = [...events].reverse().find((e) => e.kind === 'chat.ended');
  let from: number | null = null;
  for (const ev of events) {
    if (end && ev.seq >= end.seq) break;
    if (ev.kind === 'text' || ev.kind === 'chat.accepted') from = ev.created_at;
  }
  if (!end || from == null || end.created_at - from < 1000) return t('ended.inactivity');
  return t('ended.quiet', { span: span(end.created_at - from) });
}

/** An http(s) URL found in text, without the sentence punctuation after it; null if not a valid URL. */
function cleanUrl(raw: string): { text: string; href: string } | null {
  let text = raw.replace(/[.,;:!?'"]+$/, '');
  // A closing bracket belongs to the URL only when it opens one too, e.g. wiki/Foo_(bar).
  while (/[)\]}]$/.test(text)) {
    const close = text[text.length - 1];
    const open = close === ')' ? '(' : close === ']' ? '[' : '{';
    if (text.split(open).length >= text.split(close).length) break;
    text = text.slice(0, -1).replace(/[.,;:!?'"]+$/, '');
  }
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return { text, href: u.href };
  } catch {
    return null;
  }
}

function initials(name: string | null | undefined): string {
  const p = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!p.length) return '';
  return ((p[0][0] ?? '') + (p.length > 1 ? p[p.length - 1][0] ?? '' : '')).toUpperCase();
}

function emit(name: 'chat-requested' | 'chat-started' | 'chat-ended' | 'chat-missed' | 'chat-timed-out' | 'meeting-booked', detail: Record<string, unknown>): void {
  try {
    window.dispatchEvent(new CustomEvent(`parley:${name}`, { detail }));
  } catch {
    /* a host page listener threw: not our problem */
  }
}

function sessionGet(key: string): string | null {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function sessionSet(key: string, value: string | null): void {
  try {
    if (value === null) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, value);
  } catch {
    /* ignore */
  }
}

export class Widget implements CardHost {
  readonly api: VisitorApi;
  private readonly socket: VisitorSocket;
  private readonly shadow: ShadowRoot;

  private conv: Conversation | null = null;
  /** One unbroken run of seqs: the newest page, and the older pages read since. */
  private events: ChatEvent[] = [];
  /** Older events exist on the server before events[0]. */
  private olderExists = false;
  private olderLoading = false;
  private olderFailed = false;
  /** The visitor paged back (the beginning, once reached, is then labelled). */
  private pagedBack = false;
  /** Where the view was before an older page was put above it (renderChat keeps it steady). */
  private anchor: { height: number; top: number } | null = null;
  /** The head seq of the last `subscribed` answer: the resume is complete once it is held. */
  private replayHead = -1;
  private pending: Pending[] = [];
  private ackTimers = new Map<string, number>();
  private open = false;
  private busy = false;
  private unread = 0;
  private agentTypingUntil = 0;
  private lastTypingSent = 0;
  /** The newest seq the agent has seen ("Seen" under the visitor's last message up to it). */
  private agentReadSeq = 0;
  /** The newest seq this visitor reported as seen. */
  private readSent = 0;
  private stickToBottom = true;
  private formError: string | null = null;
  private composerError: string | null = null;

  // Persistent elements (so typed input and focus survive re-renders).
  private root!: HTMLDivElement;
  private launcher!: HTMLButtonElement;
  private badge!: HTMLSpanElement;
  private panel!: HTMLDivElement;
  private headAvatar!: HTMLDivElement;
  private headTitle!: HTMLDivElement;
  private headSub!: HTMLDivElement;
  private endBtn!: HTMLButtonElement;
  private formView!: HTMLFormElement;
  private formErrorEl!: HTMLDivElement;
  private submitBtn!: HTMLButtonElement;
  private inputs!: Record<'name' | 'email' | 'job_title' | 'phone', HTMLInputElement>;
  private fieldErrors!: Record<'name' | 'email', HTMLDivElement>;
  /** "How can we help?" (optional); the message itself on the offline form (required). */
  private question!: HTMLTextAreaElement;
  private questionLabel!: HTMLLabelElement;
  private formIntro!: HTMLParagraphElement;
  /** The fields the offline form leaves out (job title, phone). */
  private chatOnlyFields!: HTMLElement[];
  /**
   * Whether anyone can take a chat now (GET /visitor/status), asked before the form shows and
   * whenever the panel opens: false shows the offline form ("Leave a message") instead of
   * promising a chat. null: not known yet (the chat form, without the reply-time promise).
   */
  private agentsAvailable: boolean | null = null;
  private waitingView!: HTMLDivElement;
  private chatView!: HTMLDivElement;
  private scroller!: HTMLDivElement;
  private historyEdge!: HTMLDivElement;
  private messagesEl!: HTMLDivElement;
  private typingEl!: HTMLDivElement;
  private composer!: HTMLFormElement;
  private composerErrorEl!: HTMLDivElement;
  private textarea!: HTMLTextAreaElement;
  private sendBtn!: HTMLButtonElement;
  private endedEl!: HTMLDivElement;
  private endedText!: HTMLParagraphElement;
  private missedView!: HTMLDivElement;
  private missedTitle!: HTMLHeadingElement;
  /** Conversations whose missed/timed-out outcome was announced to the host page. */
  private announced = new Set<number>();
  private missedText!: HTMLDivElement;
  private missedBook!: HTMLParagraphElement;
  private missedCards!: HTMLDivElement;
  /** The calendar cards of the current conversation, by event seq (they keep their own state). */
  private cards = new Map<number, CalendarCard>();

  constructor(
    host: HTMLElement,
    private readonly opts: WidgetOptions,
  ) {
    this.api = new VisitorApi(opts.origin);
    this.socket = new VisitorSocket(opts.origin.replace(/^http/, 'ws') + '/ws', {
      token: () => this.api.token,
      onReady: () => this.onSocketReady(),
      onFrame: (f) => this.onFrame(f),
      onUnauthorized: () => {
        // The token was revoked or the server forgot it: start clean next time.
        this.api.forgetToken();
      },
    });
    this.shadow = host.attachShadow({ mode: 'open' });
    this.build();
    this.render();
    void this.restore();
    void this.checkAvailability();
    trackPageViews((view) => void this.report({ type: 'page_visit', url: view.url, title: view.title }));
    // Coming back to the tab counts as seeing what arrived meanwhile.
    document.addEventListener('visibilitychange', () => this.reportRead());
  }

  /**
   * Sends a page view or a link click to the visitor's history. A page view needs a visitor
   * session, so one is created on the first page (it is the same one the chat uses later).
   * Best effort: a failure is not shown to the visitor.
   */
  private async report(a: VisitorActivity): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.api.ensureToken();
        await this.api.activity(a);
        return;
      } catch (e) {
        // A forgotten token (e.g. the server's data was reset) gets a fresh session once, unless a
        // chat is open on it (that is for the chat's own recovery to decide).
        if (attempt === 0 && e instanceof ApiError && e.status === 401 && !this.conv) {
          this.api.forgetToken();
          continue;
        }
        return;
      }
    }
  }

  // ---- DOM -------------------------------------------------------------------------------

  private build(): void {
    // A constructed stylesheet is not an inline <style>, so a host page's strict CSP
    // (style-src without 'unsafe-inline') does not block it; older browsers get a <style>.
    const text = css(this.opts.accent);
    let style: HTMLStyleElement | null = null;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      this.shadow.adoptedStyleSheets = [sheet];
    } catch {
      style = document.createElement('style');
      style.textContent = text;
    }

    this.badge = h('span', { class: 'badge', hidden: true, 'data-testid': 'widget-unread' });
    this.launcher = h(
      'button',
      { class: 'launcher', type: 'button', 'aria-label': t('launcher.open'), 'aria-expanded': 'false', 'data-testid': 'widget-launcher', onclick: () => this.toggle() },
      icon(ICONS.chat, 26),
      this.badge,
    );

    // header
    this.headAvatar = h('div', { class: 'head-avatar' });
    this.headTitle = h('div', { class: 'head-title', 'data-testid': 'widget-title' });
    this.headSub = h('div', { class: 'head-sub' });
    this.endBtn = h('button', { class: 'link-end', type: 'button', hidden: true, 'data-testid': 'widget-end-chat', onclick: () => this.endChat() }, t('end.button'));
    const minimize = h(
      'button',
      { class: 'icon-btn', type: 'button', 'aria-label': t('launcher.minimize'), 'data-testid': 'widget-close', onclick: () => this.setOpen(false) },
      icon(ICONS.minimize, 20),
    );
    const head = h('div', { class: 'head' }, this.headAvatar, h('div', { class: 'head-text' }, this.headTitle, this.headSub), this.endBtn, minimize);

    // pre-chat form
    const profile = this.savedProfile();
    const field = (key: 'name' | 'email' | 'job_title' | 'phone', label: string, type: string, required: boolean, autocomplete: string) => {
      const id = `parley-${key}`;
      const input = h('input', {
        id,
        name: key,
        type,
        maxlength: 200,
        autocomplete,
        'aria-required': required ? 'true' : null,
        'data-testid': `prechat-${key.replace('_', '-')}`,
      });
      input.value = profile[key] ?? '';
      input.addEventListener('input', () => {
        if (key === 'name' || key === 'email') this.setFieldError(key, null);
      });
      const err = h('div', { class: 'field-error', hidden: true, 'data-testid': `prechat-${key}-error` });
      const wrap = h(
        'div',
        { class: 'field' },
        h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : h('span', { class: 'opt' }, t('form.optional'))),
        input,
        err,
      );
      return { input, err, wrap };
    };
    const fName = field('name', t('form.name'), 'text', true, 'name');
    const fEmail = field('email', t('form.email'), 'email', true, 'email');
    const fJob = field('job_title', t('form.jobTitle'), 'text', false, 'organization-title');
    const fPhone = field('phone', t('form.phone'), 'tel', false, 'tel');
    this.inputs = { name: fName.input, email: fEmail.input, job_title: fJob.input, phone: fPhone.input };
    this.chatOnlyFields = [fJob.wrap, fPhone.wrap];
    this.question = h('textarea', { id: 'parley-question', name: 'question', rows: 3, maxlength: 4000, 'data-testid': 'prechat-question' });
    this.questionLabel = h('label', { for: 'parley-question' });
    const fQuestion = h('div', { class: 'field' }, this.questionLabel, this.question);
    this.formIntro = h('p', { class: 'intro', 'data-testid': 'prechat-intro' });
    this.fieldErrors = { name: fName.err, email: fEmail.err };
    this.formErrorEl = h('div', { class: 'error', role: 'alert', hidden: true, 'data-testid': 'prechat-error' });
    this.submitBtn = h('button', { class: 'btn', type: 'submit', 'data-testid': 'prechat-submit' }, t('form.submit'));
    this.formView = h(
      'form',
      { class: 'form', novalidate: true, 'data-testid': 'prechat-form' },
      this.formIntro,
      fName.wrap,
      fEmail.wrap,
      fJob.wrap,
      fPhone.wrap,
      fQuestion,
      this.formErrorEl,
      this.submitBtn,
      h('p', { class: 'fineprint' }, t('form.fineprint')),
    );
    this.formView.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submitForm();
    });
    const formScroll = h('div', { class: 'scroll' }, this.formView);

    // waiting
    this.waitingView = h(
      'div',
      { class: 'center', 'data-testid': 'widget-waiting' },
      h('div', { class: 'spinner', 'aria-hidden': 'true' }),
      h('h3', null, t('waiting.title')),
      h('p', null, t('waiting.text')),
      h('button', { class: 'link', type: 'button', onclick: () => this.endChat() }, t('waiting.cancel')),
    );

    // chat
    this.messagesEl = h('div', { class: 'messages', 'data-testid': 'widget-messages', 'aria-live': 'polite' });
    this.historyEdge = h('div', { class: 'history-edge', hidden: true, 'data-testid': 'widget-history' });
    this.scroller = h('div', { class: 'scroll' }, this.historyEdge, this.messagesEl);
    this.scroller.addEventListener('scroll', () => {
      const el = this.scroller;
      this.stickToBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
      this.loadOlderIfNear();
    });
    this.typingEl = h(
      'div',
      { class: 'typing', hidden: true, 'data-testid': 'widget-typing' },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
      h('span', { class: 'typing-text' }),
    );
    this.textarea = h('textarea', { rows: 1, placeholder: t('chat.placeholder'), 'aria-label': t('chat.message'), 'data-testid': 'widget-input' });
    this.textarea.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendFromComposer();
      }
    });
    this.textarea.addEventListener('input', () => {
      this.autosize();
      this.sendBtn.disabled = !this.textarea.value.trim();
      this.sendTyping();
    });
    this.sendBtn = h('button', { class: 'send', type: 'submit', 'aria-label': t('chat.send'), disabled: true, 'data-testid': 'widget-send' }, icon(ICONS.send, 18));
    this.composer = h('form', { class: 'composer', 'data-testid': 'widget-composer' }, this.textarea, this.sendBtn);
    this.composer.addEventListener('submit', (e) => {
      e.preventDefault();
      this.sendFromComposer();
    });
    this.composerErrorEl = h('div', { class: 'error composer-error', role: 'alert', hidden: true });
    this.endedText = h('p', { 'data-testid': 'widget-ended-text' }, t('chat.ended'));
    this.endedEl = h(
      'div',
      { class: 'ended', hidden: true, 'data-testid': 'widget-ended' },
      this.endedText,
      h('button', { class: 'btn', type: 'button', 'data-testid': 'widget-new-chat', onclick: () => this.startOver() }, t('chat.newChat')),
    );
    this.chatView = h('div', { class: 'body', 'data-testid': 'widget-chat' }, this.scroller, this.typingEl, this.composerErrorEl, this.composer, this.endedEl);

    // missed
    this.missedText = h('div', { class: 'missed-card', 'data-testid': 'widget-missed-message' });
    this.missedBook = h('p', { class: 'missed-book', hidden: true, 'data-testid': 'widget-missed-book' }, t('missed.orBook'));
    this.missedCards = h('div', { class: 'missed-cards', hidden: true, 'data-testid': 'widget-missed-cards' });
    this.missedView = h(
      'div',
      { class: 'center', 'data-testid': 'widget-missed' },
      (this.missedTitle = h('h3', { 'data-testid': 'widget-missed-title' }, t('missed.none'))),
      this.missedText,
      this.missedBook,
      this.missedCards,
      h('button', { class: 'btn btn-secondary', type: 'button', 'data-testid': 'widget-missed-new-chat', onclick: () => this.startOver() }, t('chat.newChat')),
    );

    const body = h('div', { class: 'body' }, formScroll, this.waitingView, this.chatView, this.missedView);
    this.panel = h(
      'div',
      { class: 'panel', role: 'dialog', 'aria-label': this.opts.title, hidden: true, 'data-testid': 'widget-panel' },
      head,
      body,
      h('div', { class: 'powered' }, t('powered')),
    );
    (this.formView.parentElement as HTMLElement).dataset.view = 'form';

    this.root = h('div', { class: 'root' }, this.panel, this.launcher);
    if (style) this.shadow.append(style);
    this.shadow.append(this.root);
  }

  private savedProfile(): Partial<Record<'name' | 'email' | 'job_title' | 'phone', string>> {
    try {
      return JSON.parse(storage.get(PROFILE_KEY) ?? '{}') ?? {};
    } catch {
      return {};
    }
  }

  private get view(): 'form' | 'waiting' | 'chat' | 'missed' {
    const s = this.conv?.status;
    if (!s) return 'form';
    if (s === 'pending') return 'waiting';
    if (s === 'missed') return 'missed';
    return 'chat';
  }

  private render(): void {
    const view = this.view;
    const status = this.conv?.status;
    this.panel.hidden = !this.open;
    this.launcher.setAttribute('aria-expanded', String(this.open));
    this.launcher.setAttribute('aria-label', this.open ? t('launcher.minimize') : t('launcher.open'));
    clear(this.launcher);
    append(this.launcher, [icon(this.open ? ICONS.close : ICONS.chat, this.open ? 24 : 26), this.badge]);
    this.badge.hidden = this.open || this.unread === 0;
    this.badge.textContent = String(this.unread);

    // header
    const agent = this.conv?.agent_name ?? null;
    if (status === 'active' && agent) {
      this.headAvatar.textContent = initials(agent);
      this.headAvatar.className = 'head-avatar online';
      this.headTitle.textContent = agent;
      this.headSub.textContent = t('head.online');
    } else {
      this.headAvatar.textContent = '';
      this.headAvatar.className = 'head-avatar';
      this.headAvatar.appendChild(icon(ICONS.chat, 18));
      this.headTitle.textContent = this.opts.title;
      this.headSub.textContent =
        status === 'pending'
          ? t('head.finding')
          : status === 'ended'
            ? t('head.ended')
            : status === 'missed'
              ? t('head.missed')
              : this.agentsAvailable === false
                ? t('offline.head')
                : this.agentsAvailable
                  ? t('head.reply')
                  : '';
    }
    this.endBtn.hidden = status !== 'active';

    (this.formView.parentElement as HTMLElement).hidden = view !== 'form';
    this.waitingView.hidden = view !== 'waiting';
    this.chatView.hidden = view !== 'chat';
    this.missedView.hidden = view !== 'missed';

    this.formErrorEl.hidden = !this.formError;
    this.formErrorEl.textContent = this.formError ?? '';
    this.submitBtn.disabled = this.busy;
    this.renderFormMode();

    if (view === 'chat') this.renderChat();
    if (view === 'missed') {
      this.missedText.textContent = this.missedMessage();
      const timedOut = this.conv?.end_reason === 'no_answer';
      this.missedTitle.textContent = timedOut ? t('missed.timedOut') : t('missed.none');
      this.missedView.setAttribute('data-reason', this.conv?.end_reason ?? '');
      this.renderMissedCards();
    }
  }

  /**
   * The chat form, or, when nobody can take a chat now, the offline form: name, email and the
   * message (required), which the server keeps as a missed chat for the team to follow up.
   */
  private renderFormMode(): void {
    const offline = this.agentsAvailable === false;
    this.formView.dataset.mode = offline ? 'offline' : 'chat';
    clear(this.formIntro);
    if (offline) append(this.formIntro, [h('strong', null, t('offline.head')), t('offline.intro')]);
    else append(this.formIntro, [h('strong', null, t('form.hi')), t('form.intro')]);
    clear(this.questionLabel);
    append(this.questionLabel, [offline ? t('offline.message') : t('form.question'), h('span', { class: 'opt' }, t('form.optional'))]);
    for (const el of this.chatOnlyFields) el.hidden = offline;
    this.submitBtn.textContent = this.busy ? t('form.connecting') : offline ? t('offline.submit') : t('form.submit');
  }

  /** Asks whether anyone can take a chat now; the form follows the answer. Best effort. */
  private async checkAvailability(): Promise<void> {
    try {
      const { agents_available } = await this.api.status();
      if (agents_available === this.agentsAvailable) return;
      this.agentsAvailable = agents_available;
      this.render();
    } catch {
      // Unknown: the chat form stays, without promising a reply time.
    }
  }

  /** Under the fallback message: the calendar card the server shared with it, and any meeting since. */
  private renderMissedCards(): void {
    let nodes: Node[] = [];
    keepFocus(this.shadow, () => {
      clear(this.missedCards);
      nodes = this.events.map((ev) => this.calendarNode(ev)).filter((n): n is HTMLElement => !!n);
      append(this.missedCards, nodes);
    });
    this.missedBook.hidden = !this.events.some((ev) => ev.kind === 'calendar.card' && parseCardBody(ev.body));
    this.missedCards.hidden = nodes.length === 0;
    this.missedView.classList.toggle('has-cards', nodes.length > 0);
  }

  // ---- meetings (CardHost) -----------------------------------------------------------------

  /**
   * The element for a calendar.card (its persistent card) or a meeting.* event (a confirmation);
   * null for other events and for malformed bodies. A meeting.booked that a card of this page
   * booked is already shown by that card.
   */
  private calendarNode(ev: ChatEvent): HTMLElement | null {
    if (ev.kind === 'calendar.card') {
      let card = this.cards.get(ev.seq);
      if (!card) {
        const body = parseCardBody(ev.body);
        if (!body) return null;
        card = new CalendarCard(this, ev.seq, body);
        this.cards.set(ev.seq, card);
      }
      const agentId = card.card.agent_id;
      card.sync(this.events.some((e) => e.seq > ev.seq && isMeetingKind(e.kind) && parseMeetingBody(e.body, e.kind)?.agent_id === agentId));
      return card.el;
    }
    if (isMeetingKind(ev.kind)) {
      const m = parseMeetingBody(ev.body, ev.kind);
      if (!m) return null;
      if (ev.kind === 'meeting.booked' && [...this.cards.values()].some((c) => c.bookedMeetingId === m.meeting_id)) return null;
      return meetingCard(this, m, ev.kind, 'event');
    }
    return null;
  }

  conversationId(): number | null {
    return this.conv?.id ?? null;
  }

  knownEmail(): string {
    const fromChat = (this.conv as (Conversation & { visitor_email?: string | null }) | null)?.visitor_email;
    return (fromChat || this.savedProfile().email || '').trim();
  }

  latestStatus(meetingId: number): MeetingStatus | null {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const ev = this.events[i];
      if (!isMeetingKind(ev.kind)) continue;
      const m = parseMeetingBody(ev.body, ev.kind);
      if (m && m.meeting_id === meetingId) return m.status;
    }
    return null;
  }

  private meetingLinks(): Record<string, string> {
    try {
      const v = JSON.parse(storage.get(MEETING_LINKS_KEY) ?? '{}');
      return v && typeof v === 'object' ? v : {};
    } catch {
      return {};
    }
  }

  manageUrl(meetingId: number): string | null {
    const token = this.meetingLinks()[String(meetingId)];
    return token ? `${this.opts.origin}/meeting/#${encodeURIComponent(token)}` : null;
  }

  booked(_card: CalendarCard, meeting: Meeting, manageToken: string): void {
    if (manageToken) {
      const links = this.meetingLinks();
      links[String(meeting.id)] = manageToken;
      // The newest 20 are enough for "Manage or cancel" links in this browser.
      const kept = Object.entries(links).slice(-20);
      storage.set(MEETING_LINKS_KEY, JSON.stringify(Object.fromEntries(kept)));
    }
    emit('meeting-booked', {
      agent_name: meeting.agent_name,
      agent_id: meeting.agent_id,
      start: new Date(meeting.start).toISOString(),
      end: new Date(meeting.end).toISOString(),
      meeting_id: meeting.id,
      conversation_id: this.conv?.id ?? null,
    });
    this.render();
    // The conversation got a meeting.booked event (the socket is closed after a missed chat).
    void this.fetchEvents();
  }

  /** The fallback text the server sent with `chat.missed`. */
  private missedMessage(): string {
    const missed = [...this.events].reverse().find((e) => e.kind === 'chat.missed');
    return (missed?.body ?? '').trim() || t('fallback');
  }

  private renderChat(): void {
    const active = this.conv?.status === 'active';
    const ended = this.conv?.status === 'ended';
    const el = this.scroller;
    const atBottom = this.stickToBottom;
    const anchor = this.anchor;
    this.anchor = null;

    keepFocus(this.shadow, () => {
      this.renderHistoryEdge();
      this.renderMessages();
    });
    if (this.replayHead >= 0) this.messagesEl.setAttribute('data-synced', String(this.synced));
    else this.messagesEl.removeAttribute('data-synced');

    const typing = active && this.agentTypingUntil > Date.now();
    this.typingEl.hidden = !typing;
    (this.typingEl.querySelector('.typing-text') as HTMLElement).textContent = t('chat.agentTyping', { name: this.conv?.agent_name || t('chat.agent') });

    this.composer.hidden = !active;
    this.composerErrorEl.hidden = !this.composerError || !active;
    this.composerErrorEl.textContent = this.composerError ?? '';
    this.endedEl.hidden = !ended;
    this.endedText.textContent = ended && this.conv?.end_reason === 'inactivity' ? inactivityText(this.events) : t('chat.ended');
    if (atBottom) el.scrollTop = el.scrollHeight;
    // An older page went above the view: it stays where it was (the same messages in sight).
    else if (anchor) el.scrollTop = anchor.top + (el.scrollHeight - anchor.height);
    this.reportRead();
    // A short newest page (or a tall panel) leaves nothing to scroll: read on until it fills.
    this.loadOlderIfNear();
  }

  /** The message list: texts, notes, calendar cards and meeting confirmations, then pending sends. */
  private renderMessages(): void {
    clear(this.messagesEl);
    let lastVisitorSeq = 0;
    for (const ev of this.events) if (ev.kind === 'text' && ev.sender === 'visitor') lastVisitorSeq = ev.seq;
    let prev = '';
    for (const ev of this.events) {
      if (ev.kind === 'text') {
        const mine = ev.sender === 'visitor';
        const grouped = prev === ev.sender;
        prev = ev.sender;
        this.messagesEl.appendChild(
          h(
            'div',
            { class: `msg ${mine ? 'out' : 'in'}${grouped ? ' grouped' : ''}`, 'data-testid': 'widget-message', 'data-sender': ev.sender, 'data-seq': ev.seq },
            h('div', { class: 'bubble', 'data-testid': 'widget-message-body' }, mine ? ev.body : this.linkified(ev.body)),
            h(
              'div',
              { class: 'meta' },
              clock(ev.created_at),
              ev.seq === lastVisitorSeq && this.agentReadSeq >= ev.seq ? [' · ', h('span', { class: 'seen', 'data-testid': 'widget-seen' }, t('chat.seen'))] : null,
            ),
          ),
        );
        continue;
      }
      prev = '';
      const node = this.calendarNode(ev);
      if (node) {
        this.messagesEl.appendChild(node);
        continue;
      }
      const note = this.systemNote(ev);
      if (note) this.messagesEl.appendChild(h('div', { class: 'note', 'data-testid': 'widget-note', 'data-kind': ev.kind }, note));
    }
    for (const p of this.pending) {
      const meta =
        p.status === 'sending'
          ? h('div', { class: 'meta', 'data-testid': 'widget-message-pending' }, t('chat.sending'))
          : h(
              'div',
              { class: 'meta' },
              (p.error ?? t('chat.notSent')) + ' ',
              h('button', { type: 'button', onclick: () => this.retry(p.client_id) }, t('chat.retry')),
            );
      this.messagesEl.appendChild(
        h(
          'div',
          { class: `msg out pending${p.status === 'failed' ? ' failed' : ''}`, 'data-testid': 'widget-message', 'data-sender': 'visitor', 'data-pending': 'true' },
          h('div', { class: 'bubble', 'data-testid': 'widget-message-body' }, p.body),
          meta,
        ),
      );
    }

  }

  /**
   * An agent message as text, with its http(s) URLs as links that open in a new tab. Every piece
   * is a text node (or an <a> whose text is a text node): nothing is parsed as HTML.
   */
  private linkified(body: string): Node[] {
    const out: Node[] = [];
    let at = 0;
    for (const m of body.matchAll(URL_RE)) {
      const url = cleanUrl(m[0]);
      if (!url) continue;
      const start = m.index ?? 0;
      if (start > at) out.push(document.createTextNode(body.slice(at, start)));
      const a = document.createElement('a');
      a.href = url.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = url.text;
      a.setAttribute('data-testid', 'widget-link');
      const clicked = () => void this.report({ type: 'link_clicked', url: url.href });
      a.addEventListener('click', clicked);
      a.addEventListener('auxclick', (e) => {
        if (e.button === 1) clicked();
      });
      out.push(a);
      at = start + url.text.length;
    }
    if (at < body.length) out.push(document.createTextNode(body.slice(at)));
    return out;
  }

  /**
   * The visitor has seen the agent's messages when the panel is open on the chat and the tab is
   * visible: the newest seq goes to the server (the agent then sees "Seen").
   */
  private reportRead(): void {
    const conv = this.conv;
    if (!conv || !this.open || document.hidden || this.view !== 'chat') return;
    let newestAgent = 0;
    for (let i = this.events.length - 1; i >= 0; i--) {
      const ev = this.events[i];
      if (ev.kind === 'text' && ev.sender === 'agent') {
        newestAgent = ev.seq;
        break;
      }
    }
    if (newestAgent <= this.readSent) return;
    const seq = this.maxSeq();
    this.readSent = seq;
    if (this.socket.send({ type: 'read', conversation_id: conv.id, seq })) return;
    this.api.markRead(conv.id, seq).catch(() => {
      if (this.readSent === seq) this.readSent = 0; // told again with the next render
    });
  }

  private systemNote(ev: ChatEvent): string | null {
    const b = (ev.body ?? '').trim();
    switch (ev.kind) {
      case 'chat.accepted':
        return t('system.joined', { name: b || t('system.anAgent') });
      case 'chat.ended':
        return b === 'visitor' ? t('system.youEnded') : b === 'inactivity' ? inactivityText(this.events) : b === 'agent' ? t('system.agentEnded', { name: this.conv?.agent_name || t('system.theAgent') }) : t('system.closed');
      case 'chat.requested':
      case 'chat.missed':
        return null;
      default:
        return null;
    }
  }

  private setFieldError(key: 'name' | 'email', msg: string | null): void {
    const el = this.fieldErrors[key];
    el.hidden = !msg;
    el.textContent = msg ?? '';
    this.inputs[key].setAttribute('aria-invalid', msg ? 'true' : 'false');
  }

  private autosize(): void {
    const t = this.textarea;
    t.style.height = 'auto';
    t.style.height = Math.min(t.scrollHeight, 120) + 'px';
  }

  // ---- open / close ----------------------------------------------------------------------

  private toggle(): void {
    this.setOpen(!this.open);
  }

  /** The visible area is phone-sized (viewport.ts): the open panel covers it. */
  setPhone(phone: boolean): void {
    this.root.classList.toggle('is-phone', phone);
  }

  private setOpen(open: boolean): void {
    this.open = open;
    sessionSet(OPEN_KEY, open ? '1' : null);
    if (open) this.unread = 0;
    this.stickToBottom = true;
    this.render();
    if (open && this.view === 'form') void this.checkAvailability();
    if (open) {
      window.setTimeout(() => {
        if (this.view === 'form') (this.inputs.name.value ? this.inputs.email.value ? this.submitBtn : this.inputs.email : this.inputs.name).focus();
        else if (this.view === 'chat' && this.conv?.status === 'active') this.textarea.focus();
      }, 30);
    }
  }

  // ---- life cycle ------------------------------------------------------------------------

  /** On page load: an open chat comes back with its newest page (older ones on scrolling up). */
  private async restore(): Promise<void> {
    const wasOpen = sessionGet(OPEN_KEY) === '1';
    if (!this.api.token) {
      if (wasOpen) this.setOpen(true);
      return;
    }
    try {
      const { conversation, events, has_more, read } = await this.api.current(PAGE_SIZE);
      this.conv = conversation;
      this.events = [];
      this.agentReadSeq = Number(read?.agent_seq) || 0;
      this.mergeEvents(events, false);
      this.olderExists = !!has_more && this.events.length > 0;
      if (conversation.status === 'pending' || conversation.status === 'active') this.socket.start();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.api.forgetToken();
      // 404: no open chat, the form it is.
    }
    if (wasOpen) this.setOpen(true);
    else this.render();
  }

  private async submitForm(): Promise<void> {
    if (this.busy) return;
    const v = (k: keyof typeof this.inputs) => this.inputs[k].value.trim();
    const name = v('name');
    const email = v('email');
    let bad = false;
    this.setFieldError('name', name ? null : t('form.nameMissing'));
    if (!name) bad = true;
    if (!email) {
      this.setFieldError('email', t('form.emailMissing'));
      bad = true;
    } else if (!EMAIL_RE.test(email)) {
      this.setFieldError('email', t('form.emailInvalid'));
      bad = true;
    } else this.setFieldError('email', null);
    if (bad) {
      (name ? this.inputs.email : this.inputs.name).focus();
      return;
    }
    // Optional on both forms: contact details alone are enough for the team to write back.
    const question = this.question.value.trim();
    const offline = this.agentsAvailable === false;
    const form: PreChatForm = { name, email, page_url: location.href };
    if (!offline && v('job_title')) form.job_title = v('job_title');
    if (!offline && v('phone')) form.phone = v('phone');
    if (question) form.question = question;

    this.busy = true;
    this.formError = null;
    this.render();
    try {
      let conversation: Conversation;
      try {
        await this.api.ensureToken();
        conversation = (await this.api.startChat(form)).conversation;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          // Stale token (e.g. the server's data was reset): get a new session once.
          this.api.forgetToken();
          await this.api.ensureToken();
          conversation = (await this.api.startChat(form)).conversation;
        } else if (e instanceof ApiError && e.status === 409) {
          // An open chat already exists (another tab): continue that one.
          const cur = await this.api.current(PAGE_SIZE);
          this.adopt(cur.conversation, cur.events, cur.has_more);
          return;
        } else {
          throw e;
        }
      }
      storage.set(PROFILE_KEY, JSON.stringify({ name, email, job_title: form.job_title ?? '', phone: form.phone ?? '' }));
      this.adopt(conversation, []);
      this.question.value = '';
      emit('chat-requested', { conversation_id: conversation.id, status: conversation.status });
      if (conversation.status === 'missed') await this.announceMissed(conversation);
    } catch (e) {
      this.formError =
        e instanceof ApiError && e.status === 429
          ? t('form.tooMany', { wait: retryWait(e.data?.retry_after_ms) })
          : e instanceof ApiError
            ? e.message
            : t('error.generic');
    } finally {
      this.busy = false;
      this.render();
    }
  }

  private adopt(conversation: Conversation, events: ChatEvent[], hasMore = false): void {
    this.conv = conversation;
    this.events = [];
    this.resetHistory();
    this.cards.clear();
    this.pending = [];
    this.agentReadSeq = 0;
    this.readSent = 0;
    this.composerError = null;
    this.stickToBottom = true;
    this.mergeEvents(events, false);
    this.olderExists = hasMore && this.events.length > 0;
    if (conversation.status === 'pending' || conversation.status === 'active') {
      this.socket.stop();
      this.socket.start();
    }
    this.render();
  }

  private resetHistory(): void {
    this.olderExists = false;
    this.olderLoading = false;
    this.olderFailed = false;
    this.pagedBack = false;
    this.anchor = null;
    this.replayHead = -1;
  }

  /** What is newer than the newest seq held (with nothing held, or far behind: the newest page). */
  private async fetchEvents(): Promise<void> {
    const conv = this.conv;
    if (!conv) return;
    try {
      if (this.events.length) {
        const page = await this.api.events(conv.id, { after_seq: this.maxSeq(), limit: CATCH_UP_LIMIT });
        if (this.conv?.id !== conv.id) return;
        if (!page.has_more) {
          this.mergeEvents(page.events ?? [], true);
          this.render();
          return;
        }
      }
      const newest = await this.api.events(conv.id, { limit: PAGE_SIZE });
      if (this.conv?.id === conv.id) this.placeNewest(newest.events ?? [], newest.has_more, true);
    } catch {
      /* shown from what we have */
    }
    this.render();
  }

  /**
   * Joins a newest page to what is held, keeping the held seqs one unbroken run (older pages are
   * read below events[0], so a hole would never be filled): a run that ended more than a page ago
   * is replaced by the page; a page older than the run held adds nothing.
   */
  private placeNewest(got: ChatEvent[], hasMore: boolean, live: boolean): void {
    if (!got.length) return;
    const hi = got[got.length - 1].seq;
    if (this.events.length && this.events[0].seq > hi + 1) return;
    if (this.events.length && got[0].seq > this.maxSeq() + 1) this.events = this.events.filter((e) => e.seq > hi);
    this.mergeEvents(got, live);
    if (this.events[0]?.seq === got[0].seq) this.olderExists = hasMore;
  }

  /** The page before events[0] (the visitor scrolled near the top of the messages). */
  private async loadOlder(): Promise<void> {
    const conv = this.conv;
    if (!conv || !this.olderExists || this.olderLoading || !this.events.length) return;
    const before = this.events[0].seq;
    this.olderLoading = true;
    this.olderFailed = false;
    this.pagedBack = true;
    this.renderHistoryEdge();
    try {
      const page = await this.api.events(conv.id, { before_seq: before, limit: PAGE_SIZE });
      if (this.conv?.id !== conv.id) return;
      const got = page.events ?? [];
      const el = this.scroller;
      this.anchor = { height: el.scrollHeight, top: el.scrollTop };
      this.mergeEvents(got, false);
      // The page that reached events[0] knows; otherwise seqs count from 1 (docs/api.md).
      this.olderExists = got.length > 0 && (this.events[0].seq === got[0].seq ? !!page.has_more : this.events[0].seq > 1);
    } catch {
      if (this.conv?.id === conv.id) this.olderFailed = true;
    } finally {
      if (this.conv?.id === conv.id) {
        this.olderLoading = false;
        this.render();
      }
    }
  }

  /** Near the top of an open chat with older events on the server: read the page before. */
  private loadOlderIfNear(): void {
    const el = this.scroller;
    if (!this.open || this.view !== 'chat' || !this.olderExists || this.olderLoading || this.olderFailed) return;
    if (el.clientHeight > 0 && el.scrollTop < NEAR_TOP_PX) void this.loadOlder();
  }

  /** The top of a paged chat: earlier messages (loading, retry) or its beginning; fixed height. */
  private renderHistoryEdge(): void {
    const edge = this.historyEdge;
    const state = this.olderLoading ? 'loading' : this.olderFailed ? 'error' : this.olderExists ? 'more' : 'start';
    edge.hidden = !this.events.length || (state === 'start' && !this.pagedBack);
    edge.setAttribute('data-state', state);
    clear(edge);
    if (state === 'loading') append(edge, [h('span', { 'data-testid': 'widget-history-loading' }, t('history.loading'))]);
    else if (state === 'error')
      append(edge, [
        h('span', { 'data-testid': 'widget-history-error' }, t('history.error')),
        h('button', { type: 'button', class: 'link', onclick: () => void this.loadOlder() }, t('chat.retry')),
      ]);
    else if (state === 'more') append(edge, [h('button', { type: 'button', class: 'link', 'data-testid': 'widget-history-more', onclick: () => void this.loadOlder() }, t('history.more'))]);
    else append(edge, [h('span', { 'data-testid': 'widget-history-start' }, t('history.start'))]);
  }

  private async endChat(): Promise<void> {
    const conv = this.conv;
    if (!conv) return;
    const wasPending = conv.status === 'pending';
    this.endBtn.disabled = true;
    try {
      const { conversation } = await this.api.end(conv.id);
      if (wasPending) {
        // Cancelling a request is not a "missed" chat from the visitor's point of view.
        this.startOver();
        return;
      }
      this.applyConversation(conversation);
      await this.fetchEvents();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) await this.fetchEvents();
      else this.composerError = e instanceof ApiError ? e.message : t('end.failed');
    } finally {
      this.endBtn.disabled = false;
      this.render();
    }
  }

  private startOver(): void {
    this.socket.stop();
    for (const t of this.ackTimers.values()) window.clearTimeout(t);
    this.ackTimers.clear();
    this.conv = null;
    this.events = [];
    this.resetHistory();
    this.cards.clear();
    this.pending = [];
    this.agentReadSeq = 0;
    this.readSent = 0;
    this.formError = null;
    this.composerError = null;
    this.render();
    window.setTimeout(() => this.submitBtn.focus(), 30);
  }

  // ---- events and status -----------------------------------------------------------------

  private maxSeq(): number {
    return this.events.length ? this.events[this.events.length - 1].seq : 0;
  }

  /** Adds events in seq order, dropping seqs already held; `live` ones may change the status. */
  private mergeEvents(incoming: ChatEvent[], live: boolean): void {
    let changed = false;
    for (const ev of incoming) {
      if (!ev || typeof ev.seq !== 'number' || (this.conv && ev.conversation_id !== this.conv.id)) continue;
      const last = this.maxSeq();
      if (ev.seq <= last) {
        if (this.events.some((x) => x.seq === ev.seq)) continue;
        const at = this.events.findIndex((x) => x.seq > ev.seq);
        this.events.splice(at, 0, ev);
      } else {
        this.events.push(ev);
      }
      changed = true;
      if (ev.client_id) this.settle(ev.client_id);
      if (live && ev.kind === 'text' && ev.sender === 'agent') {
        this.agentTypingUntil = 0;
        if (!this.open) this.unread++;
      }
      if (this.conv) {
        const next: Partial<Conversation> = {};
        if (ev.kind === 'chat.accepted' && this.conv.status === 'pending') {
          next.status = 'active';
          if (ev.body) next.agent_name = ev.body;
        } else if (ev.kind === 'chat.ended' && (this.conv.status === 'active' || this.conv.status === 'pending')) {
          next.status = this.conv.status === 'pending' && ev.body !== 'visitor' ? 'missed' : 'ended';
          // The chat.ended event's body is the end reason.
          next.end_reason = (ev.body || null) as Conversation['end_reason'];
        } else if (ev.kind === 'chat.missed') {
          next.status = 'missed';
        }
        if (next.status) this.applyConversation({ ...this.conv, ...next }, live);
      }
    }
    if (changed && this.conv) this.conv = { ...this.conv, last_seq: Math.max(this.conv.last_seq, this.maxSeq()) };
  }

  private applyConversation(c: Conversation, live = true): void {
    const prev: ConversationStatus | undefined = this.conv?.id === c.id ? this.conv.status : undefined;
    // Statuses only move forward: pending -> active -> ended, pending -> missed.
    const rank = { pending: 0, active: 1, ended: 2, missed: 2 } as Record<string, number>;
    if (prev && rank[prev] > rank[c.status]) return;
    this.conv = { ...(this.conv?.id === c.id ? this.conv : {}), ...c } as Conversation;
    if (!live || prev === c.status) return;
    if (c.status === 'active') {
      emit('chat-started', { conversation_id: c.id, agent_name: c.agent_name });
      if (this.open) window.setTimeout(() => this.textarea.focus(), 30);
    } else if (c.status === 'ended') {
      this.socket.stop();
      emit('chat-ended', { conversation_id: c.id, reason: c.end_reason });
    } else if (c.status === 'missed') {
      this.socket.stop();
      void this.announceMissed(c);
    }
  }

  /**
   * Missed: show the fallback message and tell the host page once — `parley:chat-missed`, and
   * first `parley:chat-timed-out` when the reason is that nobody accepted in time (no_answer).
   * A live `chat.missed` event carries no reason, so the conversation is read once to learn it.
   */
  private async announceMissed(c: Conversation): Promise<void> {
    if (this.announced.has(c.id)) return;
    this.announced.add(c.id);
    let reason = c.end_reason;
    if (!reason || !this.events.some((e) => e.kind === 'chat.missed')) {
      try {
        const cur = await this.api.current(PAGE_SIZE);
        if (cur.conversation.id === c.id && this.conv?.id === c.id) {
          this.conv = { ...this.conv, ...cur.conversation };
          this.placeNewest(cur.events ?? [], cur.has_more, false);
          reason = cur.conversation.end_reason;
        }
      } catch {
        await this.fetchEvents();
      }
      this.render();
    }
    const message = this.missedMessage();
    if (reason === 'no_answer') emit('chat-timed-out', { conversation_id: c.id, message });
    emit('chat-missed', { conversation_id: c.id, reason: reason ?? null, message });
    // The server may add a calendar card ("…or book a meeting") right after chat.missed; the
    // socket is closed by now, so look once more a moment later if it is not here yet.
    if (!this.events.some((e) => e.kind === 'calendar.card')) {
      window.setTimeout(() => {
        if (this.conv?.id === c.id && !this.events.some((e) => e.kind === 'calendar.card')) void this.fetchEvents();
      }, 1500);
    }
  }

  private onSocketReady(): void {
    const conv = this.conv;
    if (!conv) return;
    // The server answers `subscribed` (head_seq), then replays every event after the newest held.
    this.socket.send({ type: 'subscribe', conversation_id: conv.id, after_seq: this.maxSeq() });
    for (const p of this.pending) if (p.status === 'sending') this.transmit(p);
  }

  /** Resumed: every event up to the head of the last `subscribed` answer is held. */
  private get synced(): boolean {
    return this.replayHead >= 0 && this.maxSeq() >= this.replayHead;
  }

  private onFrame(f: any): void {
    switch (f.type) {
      case 'event':
        if (f.event) {
          this.mergeEvents([f.event], true);
          this.render();
        }
        return;
      case 'subscribed':
        if (this.conv && f.conversation_id === this.conv.id && Number.isFinite(Number(f.head_seq))) {
          this.replayHead = Number(f.head_seq);
          this.messagesEl.setAttribute('data-synced', String(this.synced));
        }
        return;
      case 'message.ack':
        if (f.event) this.mergeEvents([f.event], true);
        if (f.client_id) this.settle(String(f.client_id));
        this.render();
        return;
      case 'conversation.updated':
        if (f.conversation && this.conv && f.conversation.id === this.conv.id) {
          this.applyConversation(f.conversation);
          this.render();
        }
        return;
      case 'read':
        if (f.reader === 'agent' && this.conv && f.conversation_id === this.conv.id && Number(f.seq) > this.agentReadSeq) {
          this.agentReadSeq = Number(f.seq);
          this.render();
        }
        return;
      case 'typing':
        if (f.sender === 'agent' && this.conv && f.conversation_id === this.conv.id) {
          this.agentTypingUntil = Date.now() + 5000;
          this.render();
          window.setTimeout(() => this.render(), 5100);
        }
        return;
      case 'error': {
        const ref = f.ref == null ? '' : String(f.ref);
        const p = this.pending.find((x) => x.client_id === ref);
        if (p) {
          this.clearAck(ref);
          p.status = 'failed';
          p.error =
            f.code === 'conflict'
              ? t('send.ended')
              : f.code === 'too_many_requests'
                ? t('send.tooMany', { wait: retryWait(f.retry_after_ms) })
                : f.message || t('chat.notSent');
          this.render();
        }
        return;
      }
      default:
        return;
    }
  }

  // ---- sending ---------------------------------------------------------------------------

  private sendFromComposer(): void {
    const body = this.textarea.value.trim();
    if (!body || this.conv?.status !== 'active') return;
    if (new TextEncoder().encode(body).length > MAX_BODY_BYTES) {
      this.composerError = t('send.tooLong');
      this.render();
      return;
    }
    this.composerError = null;
    const p: Pending = { client_id: newClientId(), body, status: 'sending' };
    this.pending.push(p);
    this.textarea.value = '';
    this.autosize();
    this.sendBtn.disabled = true;
    this.stickToBottom = true;
    this.lastTypingSent = 0;
    this.render();
    this.transmit(p);
  }

  private retry(client_id: string): void {
    const p = this.pending.find((x) => x.client_id === client_id);
    if (!p) return;
    p.status = 'sending';
    p.error = undefined;
    this.render();
    this.transmit(p);
  }

  /** WebSocket first (ack expected); REST when the socket is down or the ack is late. Same client_id. */
  private transmit(p: Pending): void {
    const conv = this.conv;
    if (!conv) return;
    this.clearAck(p.client_id);
    if (this.socket.send({ type: 'message.send', conversation_id: conv.id, client_id: p.client_id, body: p.body })) {
      this.ackTimers.set(
        p.client_id,
        window.setTimeout(() => {
          this.ackTimers.delete(p.client_id);
          void this.sendRest(conv.id, p);
        }, ACK_TIMEOUT_MS),
      );
    } else {
      void this.sendRest(conv.id, p);
    }
  }

  private async sendRest(id: number, p: Pending): Promise<void> {
    try {
      const { event } = await this.api.send(id, p.client_id, p.body);
      this.mergeEvents([event], true);
      this.settle(p.client_id);
    } catch (e) {
      if (!this.pending.includes(p)) return;
      if (e instanceof ApiError && e.status === 0) return; // offline: resent when the socket is back
      p.status = 'failed';
      p.error =
        e instanceof ApiError && e.status === 409
          ? t('send.ended')
          : e instanceof ApiError && e.status === 429
            ? t('send.tooMany', { wait: retryWait(e.data?.retry_after_ms) })
            : e instanceof ApiError
              ? e.message
              : t('chat.notSent');
    }
    this.render();
  }

  private settle(client_id: string): void {
    this.clearAck(client_id);
    this.pending = this.pending.filter((x) => x.client_id !== client_id);
  }

  private clearAck(client_id: string): void {
    const t = this.ackTimers.get(client_id);
    if (t !== undefined) window.clearTimeout(t);
    this.ackTimers.delete(client_id);
  }

  private sendTyping(): void {
    if (!this.conv || this.conv.status !== 'active') return;
    const now = Date.now();
    if (now - this.lastTypingSent < TYPING_SEND_EVERY_MS) return;
    this.lastTypingSent = now;
    this.socket.send({ type: 'typing', conversation_id: this.conv.id });
  }
}
