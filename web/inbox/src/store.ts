// The Inbox's single source of truth. REST loads snapshots, the WebSocket streams changes;
// both land here. Events are kept per conversation sorted by seq, and an event whose seq is
// already held is dropped, so a replay after a reconnect never doubles anything. A conversation's
// history is held from its newest page down to wherever the agent scrolled (older pages on demand).
import { api, ApiError, setUnauthorizedHandler } from './api';
import type {
  AdminSettings,
  Agent,
  AgentSettings,
  Calendar,
  CalendarRef,
  ChatEvent,
  Conversation,
  EventsPage,
  Meeting,
  MeetingFrameType,
  Routing,
  ServerFrame,
  SlotList,
  Summary,
  Visitor,
  Activity,
} from './types';
import { InboxSocket, type SocketState } from './ws';
import { closeRequestNotification, showMeetingNotification, showRequestNotification } from './notify';
import { cleanMeeting, cleanSlots, isMeetingKind } from '../../shared/slots';
import { charsText, meetingDateTime } from './format';
import { RequestSound } from './sound';
import { isOnePane } from './layout';
import { language, t } from './i18n';

export type Filter = 'active' | 'all' | 'missed';

/** Pages of the Inbox SPA (paths under /inbox/). */
export type View = 'inbox' | 'settings' | 'calendar' | 'meetings' | 'team' | 'workspace' | 'routing';
export const VIEW_PATHS: Record<View, string> = {
  inbox: '/inbox/',
  settings: '/inbox/settings',
  calendar: '/inbox/settings/calendar',
  meetings: '/inbox/meetings',
  team: '/inbox/settings/team',
  workspace: '/inbox/settings/workspace',
  routing: '/inbox/settings/routing',
};
/** Pages only admins may open (others land on their own settings). */
const ADMIN_VIEWS: View[] = ['team', 'workspace', 'routing'];

export type MeetingScope = 'mine' | 'all';

/** "Vera booked a meeting with you on …": a meeting frame for this agent's calendar. */
export interface MeetingAlert {
  id: number;
  kind: 'booked' | 'rescheduled' | 'cancelled';
  meeting: Meeting;
  text: string;
}

export interface PendingMessage {
  client_id: string;
  body: string;
  created_at: number;
  status: 'sending' | 'failed';
  error?: string;
}

export interface ChatRequest {
  conversation: Conversation;
  visitor: Visitor;
  /** offered: ringing, with Accept; accepting / passing: waiting for the server; taken: a short note before the banner goes away. */
  state: 'offered' | 'accepting' | 'passing' | 'taken';
  message?: string;
  /** Why it left us: 'timeout' | 'cancelled' (offer.withdrawn), 'taken', 'gone'. */
  reason?: string;
  /** Changes whenever the entry is (re)offered, so a stale removal timer leaves it alone. */
  gen: number;
}

/** Sound: 'locked' until the agent clicks "Enable sound"; 'blocked' when the browser refused play(). */
export type SoundState = 'locked' | 'unlocked' | 'blocked';

export interface Detail {
  visitor: Visitor | null;
  activities: Activity[];
  loading: boolean;
  error?: string;
}

export interface PageInfo {
  url: string | null;
  title: string | null;
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface State {
  boot: 'loading' | 'login' | 'ready';
  loginNotice: string | null;
  me: Agent | null;
  availabilityBusy: boolean;
  socket: SocketState;
  filter: Filter;
  /** Missed chats whose follow-up is not done (the Missed filter's count). */
  missedCount: number;
  list: number[];
  listNext: string | null;
  listLoading: boolean;
  listError: string | null;
  /** The search box as typed; the list is reloaded with it (debounced). */
  query: string;
  /** The search the rows on screen answer ('' = the plain list). */
  listQuery: string;
  selectedId: number | null;
  convs: Record<number, Summary>;
  details: Record<number, Detail>;
  events: Record<number, ChatEvent[]>;
  historyLoading: Record<number, boolean>;
  historyError: Record<number, string | undefined>;
  /** Older events exist on the server before the lowest seq held (false: the beginning is held). */
  olderExists: Record<number, boolean>;
  /** An older page is on its way / failed. */
  olderLoading: Record<number, boolean>;
  olderError: Record<number, string | undefined>;
  /** The head seq of the last `subscribed` answer: a resume is complete once it is held. */
  replayHead: Record<number, number>;
  pending: Record<number, PendingMessage[]>;
  /** Unread visitor messages per conversation (the server's count, then raised live). */
  unread: Record<number, number>;
  /** The newest seq the visitor has seen ("Seen" under the agent's messages up to it). */
  visitorRead: Record<number, number>;
  /** The visitor's current page, per conversation (detail, then live `visitor.page` frames). */
  page: Record<number, PageInfo>;
  typingUntil: Record<number, number>;
  requests: ChatRequest[];
  notices: Notice[];
  ending: Record<number, boolean>;
  view: View;
  settings: AgentSettings | null;
  settingsError: string | null;
  sound: SoundState;
  soundPromptDismissed: boolean;
  /** Admins: every agent with their live status, once the Team page loaded it. */
  team: Record<number, Agent> | null;
  teamError: string | null;
  /** The request a notification click pointed at (highlighted, Accept focused). */
  focusRequestId: number | null;
  /** The agent's meeting calendar (Settings → Meeting calendar), once loaded. */
  calendar: Calendar | null;
  calendarError: string | null;
  /** The meeting list page: null until loaded. */
  meetings: Meeting[] | null;
  meetingsScope: MeetingScope;
  meetingsLoading: boolean;
  meetingsError: string | null;
  meetingAlerts: MeetingAlert[];
  /** One-pane layout (a phone): the visitor panel is the screen shown instead of the chat. */
  infoOpen: boolean;
  /** Leaving a page with unsaved changes waits for the agent's answer (ConfirmLeave). */
  leaveTarget: LeaveTarget | null;
}

/** Where the agent was going when unsaved changes stopped them: a page, or signing out. */
export type LeaveTarget = View | 'logout';

const initialState = (): State => ({
  boot: 'loading',
  loginNotice: null,
  me: null,
  availabilityBusy: false,
  socket: 'closed',
  filter: 'active',
  missedCount: 0,
  list: [],
  listNext: null,
  listLoading: false,
  listError: null,
  query: '',
  listQuery: '',
  selectedId: null,
  convs: {},
  details: {},
  events: {},
  historyLoading: {},
  historyError: {},
  olderExists: {},
  olderLoading: {},
  olderError: {},
  replayHead: {},
  pending: {},
  unread: {},
  visitorRead: {},
  page: {},
  typingUntil: {},
  requests: [],
  notices: [],
  ending: {},
  view: 'inbox',
  settings: null,
  settingsError: null,
  sound: 'locked',
  soundPromptDismissed: false,
  team: null,
  teamError: null,
  focusRequestId: null,
  calendar: null,
  calendarError: null,
  meetings: null,
  meetingsScope: 'mine',
  meetingsLoading: false,
  meetingsError: null,
  meetingAlerts: [],
  infoOpen: false,
  leaveTarget: null,
});

const MAX_BODY_BYTES = 4000;
const ACK_TIMEOUT_MS = 8000;
const TYPING_SHOWN_MS = 5000;
/** How long Pass on over the socket waits for its answer before the agent may try again. */
const PASS_ON_ANSWER_MS = 8000;
const TYPING_SEND_EVERY_MS = 2000;
const SEARCH_DEBOUNCE_MS = 250;
/** Events per history page: the newest on opening a chat, then each older one on scrolling up. */
export const PAGE_SIZE = 100;
/** A catch-up over REST reads at most this many newer events; further behind, the newest page is read. */
const CATCH_UP_LIMIT = 1000;

function newClientId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return 'c-' + Date.now().toString(36) + '-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function maxSeq(events: ChatEvent[] | undefined): number {
  return events && events.length ? events[events.length - 1].seq : 0;
}

/** Inserts events into a seq-sorted list, dropping seqs already present. Returns null if nothing changed. */
function mergeEvents(current: ChatEvent[] | undefined, incoming: ChatEvent[]): ChatEvent[] | null {
  const list = current ? current.slice() : [];
  let changed = false;
  for (const ev of incoming) {
    if (!ev || typeof ev.seq !== 'number') continue;
    const last = list.length ? list[list.length - 1].seq : 0;
    if (ev.seq > last) {
      list.push(ev);
      changed = true;
      continue;
    }
    // Out of order (rare): binary search for the slot, skip if held.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].seq < ev.seq) lo = mid + 1;
      else hi = mid;
    }
    if (lo < list.length && list[lo].seq === ev.seq) continue;
    list.splice(lo, 0, ev);
    changed = true;
  }
  return changed ? list : null;
}

export class Store {
  state: State = initialState();
  private listeners = new Set<() => void>();
  private socket: InboxSocket;
  private subscribed = new Set<number>();
  private ackTimers = new Map<string, number>();
  private lastTypingSent = new Map<number, number>();
  private noticeSeq = 0;
  private listRefreshTimer: number | undefined;
  private listGeneration = 0;
  private connectedBefore = false;
  private requestGen = 0;
  /** Per conversation, the highest seq already accounted for in `unread`. */
  private countedSeq = new Map<number, number>();
  /** Per conversation, the highest seq reported read (frame or POST). */
  private readSent = new Map<number, number>();
  /**
   * Conversations followed without their history (the list's live chats, for the unread badges):
   * the seq they were subscribed after, so a resume does not replay their whole past.
   */
  private liveFrom = new Map<number, number>();
  /** Conversations whose newest page was read (a later load only catches up with newer events). */
  private pageLoaded = new Set<number>();
  /** Conversations the agent paged back in (the beginning, once reached, is then labelled). */
  private pagedBack = new Set<number>();
  private searchTimer: number | undefined;
  private detailTimers = new Map<number, number>();
  private statusCheckTimer: number | undefined;
  private focusTimer: number | undefined;
  private alertSeq = 0;
  private meetingsGeneration = 0;
  /** Meetings this agent just changed here (id → when): their frames are not news to them. */
  private ownMeetingActions = new Map<number, number>();
  /** Settings forms with unsaved changes register here (useLeaveGuard): leaving asks first. */
  private leaveGuards = new Set<() => boolean>();
  readonly sound = new RequestSound(
    () => {
      if (this.state.sound !== 'unlocked') this.set({ sound: 'unlocked' });
    },
    () => this.set({ sound: 'blocked', soundPromptDismissed: false }),
  );

  constructor() {
    this.socket = new InboxSocket({
      onFrame: (f) => this.onFrame(f),
      onReady: () => this.onSocketReady(),
      onState: (s) => this.set({ socket: s }),
      onRepeatedFailure: () => {
        // Maybe the session expired: /me answers 401 and the handler logs us out.
        api.me().then(
          (r) => this.set({ me: r.agent }),
          () => undefined,
        );
      },
    });
    setUnauthorizedHandler(() => {
      if (this.state.boot === 'ready') this.resetToLogin(t('session.ended'));
    });
    window.addEventListener('online', () => this.socket.kick());
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.state.selectedId != null) this.markRead(this.state.selectedId);
    });
    window.addEventListener('popstate', () => this.routeFromLocation());
    // Per-conversation URLs: /inbox/#/c/<id> (typed, pasted or navigated to while the Inbox is open).
    window.addEventListener('hashchange', () => {
      if (this.state.boot !== 'ready' || this.state.view !== 'inbox') return;
      const id = parseHash();
      if (id != null && id !== this.state.selectedId) void this.select(id);
    });
    this.state = { ...this.state, view: viewFromPath(location.pathname) };
  }

  // ---- plumbing -------------------------------------------------------------------------

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<State>): void {
    const meBefore = this.state.me;
    this.state = { ...this.state, ...patch };
    if (patch.me !== undefined && patch.me !== meBefore) this.scheduleStatusCheck();
    for (const fn of this.listeners) fn();
  }

  notify(kind: Notice['kind'], text: string): void {
    const id = ++this.noticeSeq;
    this.set({ notices: [...this.state.notices, { id, kind, text }].slice(-3) });
    window.setTimeout(() => this.dismissNotice(id), kind === 'error' ? 7000 : 4000);
  }

  dismissNotice(id: number): void {
    if (this.state.notices.some((n) => n.id === id)) this.set({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  // ---- session --------------------------------------------------------------------------

  async boot(): Promise<void> {
    // A stalled first request must not leave the page spinning: short tries, then the login
    // page with a notice (signing in works again as soon as the server answers).
    for (let attempt = 1; ; attempt++) {
      try {
        const { agent } = await api.me(4000);
        this.enter(agent);
        return;
      } catch (e) {
        const status = e instanceof ApiError ? e.status : 0;
        if (status === 0 && attempt < 2) continue;
        this.set({ boot: 'login', loginNotice: status === 401 || status === 404 ? null : errorText(e) });
        return;
      }
    }
  }

  async login(email: string, password: string): Promise<string | null> {
    try {
      const { agent } = await api.login(email, password);
      this.enter(agent);
      return null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return t('login.wrong');
      if (e instanceof ApiError && e.status === 400) return e.message || t('login.missing');
      if (e instanceof ApiError && e.status === 429) return t('login.tooMany', { wait: retryWait(e.data?.retry_after_ms) });
      return errorText(e);
    }
  }

  async logout(force = false): Promise<void> {
    if (!force && this.hasUnsavedChanges()) {
      this.set({ leaveTarget: 'logout' });
      return;
    }
    this.leaveGuards.clear();
    try {
      await api.logout();
    } catch {
      /* the cookie is cleared server side or already gone; leave either way */
    }
    this.resetToLogin(null);
  }

  private enter(agent: Agent): void {
    let view = viewFromPath(location.pathname);
    if (ADMIN_VIEWS.includes(view) && agent.role !== 'admin') {
      // Admin pages: an agent lands on their own settings instead.
      view = 'settings';
      history.replaceState(null, '', VIEW_PATHS.settings);
    }
    this.set({ boot: 'ready', me: agent, loginNotice: null, view });
    this.socket.start();
    void this.loadList(true);
    void this.loadSettings();
    const fromHash = parseHash();
    if (fromHash != null) void this.select(fromHash);
    this.onViewEntered(this.state.view);
  }

  private resetToLogin(notice: string | null): void {
    this.socket.stop();
    this.subscribed.clear();
    this.countedSeq.clear();
    this.readSent.clear();
    this.liveFrom.clear();
    this.pageLoaded.clear();
    this.pagedBack.clear();
    window.clearTimeout(this.searchTimer);
    this.connectedBefore = false;
    for (const t of this.ackTimers.values()) window.clearTimeout(t);
    this.ackTimers.clear();
    window.clearTimeout(this.statusCheckTimer);
    this.sound.set(false);
    for (const r of this.state.requests) closeRequestNotification(r.conversation.id);
    this.state = { ...initialState(), boot: 'login', loginNotice: notice, view: viewFromPath(location.pathname) };
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    for (const fn of this.listeners) fn();
  }

  /**
   * The server pushes `agent.status` when a boundary passes. As a safety net only (a missed
   * frame), /me is read once a minute after the announced change time if nothing came.
   */
  private scheduleStatusCheck(): void {
    window.clearTimeout(this.statusCheckTimer);
    const until = this.state.me?.status?.until;
    if (!until || this.state.boot !== 'ready') return;
    const delay = Math.min(until - Date.now() + 60_000, 2 ** 31 - 1);
    this.statusCheckTimer = window.setTimeout(() => {
      if (this.state.me?.status?.until !== until) return;
      api.me().then(
        (r) => this.set({ me: r.agent }),
        () => undefined,
      );
    }, Math.max(delay, 1000));
  }

  // ---- pages ----------------------------------------------------------------------------

  navigate(view: View, force = false): void {
    if (ADMIN_VIEWS.includes(view) && this.state.me?.role !== 'admin') view = 'settings';
    if (!force && view !== this.state.view && this.hasUnsavedChanges()) {
      this.set({ leaveTarget: view });
      return;
    }
    const hash = view === 'inbox' && this.state.selectedId != null ? `#/c/${this.state.selectedId}` : '';
    const url = VIEW_PATHS[view] + hash;
    if (location.pathname + location.hash !== url) history.pushState(null, '', url);
    if (view !== this.state.view) {
      this.set({ view });
      this.onViewEntered(view);
    }
    window.scrollTo(0, 0);
  }

  private routeFromLocation(): void {
    const view = viewFromPath(location.pathname);
    if (view !== this.state.view && this.hasUnsavedChanges()) {
      // The browser's Back/Forward left a page with unsaved changes: stay (the URL too) and ask.
      history.pushState(null, '', VIEW_PATHS[this.state.view]);
      this.set({ leaveTarget: view });
      return;
    }
    if (view !== this.state.view) {
      this.set({ view });
      this.onViewEntered(view);
    }
    if (view === 'inbox' && this.state.boot === 'ready') {
      // One-pane layout: Back walks chat → list and visitor panel → chat (see select, showInfo).
      const id = parseHash();
      if (id !== this.state.selectedId) void this.select(id);
      const info = (history.state as { pane?: string } | null)?.pane === 'visitor';
      if (info !== this.state.infoOpen) this.set({ infoOpen: info });
    }
  }

  // ---- leaving with unsaved changes ------------------------------------------------------

  /** A form with unsaved changes says so while `dirty()` is true; returns the unregister. */
  guardLeave(dirty: () => boolean): () => void {
    this.leaveGuards.add(dirty);
    return () => this.leaveGuards.delete(dirty);
  }

  hasUnsavedChanges(): boolean {
    for (const dirty of this.leaveGuards) if (dirty()) return true;
    return false;
  }

  /** "Leave without saving": the changes are dropped and the agent goes where they were going. */
  confirmLeave(): void {
    const target = this.state.leaveTarget;
    this.set({ leaveTarget: null });
    if (!target) return;
    this.leaveGuards.clear();
    if (target === 'logout') void this.logout(true);
    else this.navigate(target, true);
  }

  cancelLeave(): void {
    if (this.state.leaveTarget) this.set({ leaveTarget: null });
  }

  // ---- one-pane layout (phones) -----------------------------------------------------------

  /** Shows the visitor panel instead of the chat (a step the browser's Back undoes). */
  showInfo(): void {
    if (this.state.infoOpen || this.state.selectedId == null) return;
    if (isOnePane()) history.pushState({ pane: 'visitor' }, '', location.href);
    this.set({ infoOpen: true });
  }

  /** The visible Back button: visitor panel → chat → conversation list. */
  back(): void {
    const pane = (history.state as { pane?: string } | null)?.pane;
    if (this.state.infoOpen) {
      if (pane === 'visitor') history.back();
      else this.set({ infoOpen: false });
      return;
    }
    if (pane === 'chat') history.back();
    else void this.select(null);
  }

  private onViewEntered(view: View): void {
    if (this.state.boot !== 'ready') return;
    if (view === 'inbox' && this.state.selectedId != null) this.markRead(this.state.selectedId);
    if (view === 'team' || view === 'routing') void this.loadTeam();
    if (view === 'settings') void this.loadSettings();
    if (view === 'calendar') void this.loadCalendar();
    if (view === 'meetings') void this.loadMeetings();
  }

  // ---- settings -------------------------------------------------------------------------

  async loadSettings(): Promise<void> {
    try {
      const { settings } = await api.settings();
      this.set({ settings, settingsError: null });
    } catch (e) {
      if (!this.state.settings) this.set({ settingsError: errorText(e) });
    }
  }

  /** Saves the agent's settings; returns an error text (the server's 400 message) or null. */
  async saveSettings(settings: AgentSettings): Promise<string | null> {
    try {
      const res = await api.saveSettings(settings);
      this.set({ settings: res.settings ?? settings, settingsError: null, ...(res.agent ? { me: { ...this.state.me!, ...res.agent } } : {}) });
      if (res.agent) this.updateTeamMember(res.agent);
      return null;
    } catch (e) {
      return errorText(e);
    }
  }

  /** The time-zone prompt's "Use": saves only the zone; returns an error text or null. */
  async saveTimeZone(time_zone: string): Promise<string | null> {
    try {
      const res = await api.saveSettings({ time_zone });
      this.set({ settings: res.settings ?? this.state.settings, ...(res.agent ? { me: { ...this.state.me!, ...res.agent } } : {}) });
      return null;
    } catch (e) {
      return errorText(e);
    }
  }

  async loadAdminSettings(): Promise<AdminSettings> {
    const { settings } = await api.adminSettings();
    return settings;
  }

  async saveAdminSettings(settings: Partial<AdminSettings>): Promise<AdminSettings> {
    const res = await api.saveAdminSettings(settings);
    return res.settings;
  }

  async loadRouting(): Promise<Routing> {
    const { routing } = await api.routing();
    return normalizeRouting(routing);
  }

  /** Replaces every routing rule (PUT /admin/routing); throws the ApiError (400: the server's reason). */
  async saveRouting(routing: Routing): Promise<Routing> {
    const res = await api.saveRouting(routing);
    return normalizeRouting(res.routing ?? routing);
  }

  /** Adds or replaces account rules from CSV text (all or nothing); returns how many were imported. */
  async importAccountsCsv(csv: string): Promise<number> {
    const res = await api.importAccountsCsv(csv);
    return Number(res?.imported ?? 0);
  }

  async loadTeam(): Promise<void> {
    if (this.state.me?.role !== 'admin') return;
    try {
      const { agents } = await api.agents();
      const team: Record<number, Agent> = {};
      for (const a of agents) team[a.id] = a;
      this.set({ team, teamError: null });
    } catch (e) {
      this.set({ teamError: errorText(e) });
    }
  }

  private updateTeamMember(agent: Agent): void {
    if (!this.state.team) return;
    this.set({ team: { ...this.state.team, [agent.id]: { ...(this.state.team[agent.id] ?? {}), ...agent } } });
  }

  // ---- meeting calendar -----------------------------------------------------------------

  async loadCalendar(): Promise<void> {
    try {
      const { calendar } = await api.calendar();
      this.set({ calendar, calendarError: null });
    } catch (e) {
      if (!this.state.calendar) this.set({ calendarError: errorText(e) });
    }
  }

  /** Saves (part of) the meeting calendar; returns the server's message on failure, else null. */
  async saveCalendar(patch: Partial<Calendar>): Promise<string | null> {
    try {
      const { calendar } = await api.saveCalendar(patch);
      this.set({ calendar, calendarError: null });
      return null;
    } catch (e) {
      return errorText(e);
    }
  }

  /** Replaces the imported busy times with an .ics file's; returns the server's message or null. */
  async uploadBusy(ics: string): Promise<string | null> {
    try {
      const { calendar } = await api.uploadBusy(ics);
      this.set({ calendar });
      return null;
    } catch (e) {
      return errorText(e);
    }
  }

  async refreshBusy(): Promise<string | null> {
    try {
      const { calendar } = await api.refreshBusy();
      this.set({ calendar });
      return null;
    } catch (e) {
      return errorText(e);
    }
  }

  /** The calendars that can be shared into a chat (own first). Throws the ApiError. */
  async loadCalendars(): Promise<CalendarRef[]> {
    const { calendars } = await api.calendars();
    const list = (calendars ?? []).filter((c) => c && Number.isInteger(c.agent_id));
    // Own first, whatever order the server used.
    return [...list.filter((c) => c.own), ...list.filter((c) => !c.own)];
  }

  /** Posts a calendar card into the chat; returns an error text or null. */
  async shareCalendar(conversationId: number, agentId: number): Promise<string | null> {
    try {
      const { event } = await api.shareCalendar(conversationId, agentId);
      if (event) this.addEvents(conversationId, [event]);
      return null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) return t('calendar.chatGone');
      if (e instanceof ApiError && e.status === 404) return e.message && !/^no route/i.test(e.message) ? e.message : t('calendar.notAvailable');
      return errorText(e);
    }
  }

  /** An agent's free slots (for rescheduling a meeting). Throws the ApiError. */
  async loadSlots(agentId: number): Promise<SlotList> {
    const res = await api.slots(agentId);
    return { ...res, slots: cleanSlots(res?.slots) };
  }

  // ---- meetings -------------------------------------------------------------------------

  setMeetingsScope(scope: MeetingScope): void {
    if (scope === this.state.meetingsScope) return;
    this.set({ meetingsScope: scope, meetings: null });
    void this.loadMeetings();
  }

  async loadMeetings(): Promise<void> {
    const gen = ++this.meetingsGeneration;
    const scope = this.state.me?.role === 'admin' ? this.state.meetingsScope : 'mine';
    this.set({ meetingsLoading: true, meetingsError: null });
    try {
      const { meetings } = await api.meetings(scope);
      if (gen !== this.meetingsGeneration) return;
      const list = (meetings ?? []).map(cleanMeeting).filter((m): m is Meeting => !!m);
      this.set({ meetings: sortMeetings(list), meetingsLoading: false });
    } catch (e) {
      if (gen !== this.meetingsGeneration) return;
      this.set({
        meetingsLoading: false,
        meetingsError: e instanceof ApiError && e.status === 403 ? t('meetings.adminsOnly') : errorText(e),
      });
    }
  }

  private upsertMeeting(m: Meeting): void {
    const list = this.state.meetings;
    if (!list) return;
    const held = list.some((x) => x.id === m.id);
    if (!held && this.state.meetingsScope === 'mine' && m.agent_id !== this.state.me?.id) return;
    this.set({ meetings: sortMeetings(held ? list.map((x) => (x.id === m.id ? { ...x, ...m } : x)) : [...list, m]) });
  }

  /** Cancels a meeting; returns an error text or null. */
  async cancelMeeting(id: number): Promise<string | null> {
    this.ownMeetingActions.set(id, Date.now());
    try {
      const res = await api.cancelMeeting(id);
      const m = cleanMeeting(res?.meeting);
      if (m) this.upsertMeeting(m);
      return null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) void this.loadMeetings();
      return errorText(e);
    }
  }

  /** Moves a meeting; on a 409 the fresh free slots come back with the error. */
  async rescheduleMeeting(id: number, start: number): Promise<{ error: string | null; slots?: ReturnType<typeof cleanSlots> }> {
    this.ownMeetingActions.set(id, Date.now());
    try {
      const res = await api.rescheduleMeeting(id, start);
      const m = cleanMeeting(res?.meeting);
      if (m) this.upsertMeeting(m);
      return { error: null };
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const slots = e.data && Array.isArray(e.data.slots) ? cleanSlots(e.data.slots) : undefined;
        return { error: e.message || t('meetings.taken'), slots };
      }
      return { error: errorText(e) };
    }
  }

  /** A meeting on this agent's calendar was booked, moved or cancelled (by a visitor, or elsewhere). */
  private onMeetingFrame(type: MeetingFrameType, raw: Meeting): void {
    const m = cleanMeeting(raw);
    if (!m) return;
    this.upsertMeeting(m);
    const mine = this.ownMeetingActions.get(m.id);
    if (mine && Date.now() - mine < 15_000) return; // we did that here: not news
    const kind = type === 'meeting.cancelled' ? 'cancelled' : type === 'meeting.rescheduled' ? 'rescheduled' : 'booked';
    const who = (raw as Meeting & { booker_name?: string }).booker_name || m.booker_email || t('alert.aVisitor');
    const when = meetingDateTime(m.start, m.time_zone || this.state.me?.time_zone);
    const text =
      kind === 'booked'
        ? t('alert.booked', { who, when })
        : kind === 'rescheduled'
          ? t('alert.moved', { who, when })
          : t('alert.cancelled', { who, when });
    const id = ++this.alertSeq;
    const alert: MeetingAlert = { id, kind, meeting: m, text };
    this.set({ meetingAlerts: [...this.state.meetingAlerts.filter((a) => a.meeting.id !== m.id), alert].slice(-4) });
    window.setTimeout(() => this.dismissMeetingAlert(id), 30_000);
    const title = t(`meeting.${kind}`);
    showMeetingNotification(m.id, title, text, () => this.navigate('meetings'));
  }

  dismissMeetingAlert(id: number): void {
    if (this.state.meetingAlerts.some((a) => a.id === id)) this.set({ meetingAlerts: this.state.meetingAlerts.filter((a) => a.id !== id) });
  }

  // ---- sound ----------------------------------------------------------------------------

  /** "Enable sound" click: must run inside the click handler. */
  enableSound(): void {
    this.sound.unlock();
  }

  dismissSoundPrompt(): void {
    this.set({ soundPromptDismissed: true });
  }

  async setAvailable(available: boolean): Promise<void> {
    if (this.state.availabilityBusy) return;
    this.set({ availabilityBusy: true });
    try {
      const { agent } = await api.setAvailability(available);
      this.set({ me: agent, availabilityBusy: false });
      this.updateTeamMember(agent);
    } catch (e) {
      this.set({ availabilityBusy: false });
      this.notify('error', t('availability.failed', { error: errorText(e) }));
    }
  }

  // ---- conversation list ----------------------------------------------------------------

  setFilter(filter: Filter): void {
    if (filter === this.state.filter) return;
    this.set({ filter, list: [], listNext: null });
    void this.loadList(true);
  }

  /** The search box changed: the list follows after a short pause (at once when cleared). */
  setQuery(query: string): void {
    if (query === this.state.query) return;
    this.set({ query });
    window.clearTimeout(this.searchTimer);
    const run = () => {
      if (this.state.query.trim() !== this.state.listQuery || this.state.listLoading) void this.loadList(true);
    };
    if (!query.trim()) run();
    else this.searchTimer = window.setTimeout(run, SEARCH_DEBOUNCE_MS);
  }

  async loadList(reset: boolean): Promise<void> {
    const gen = ++this.listGeneration;
    const filter = this.state.filter;
    const query = this.state.query.trim();
    if (!reset && query !== this.state.listQuery) reset = true; // "more" of another search: start over
    this.set({ listLoading: true, listError: null });
    try {
      const res = await api.conversations(filter, reset ? null : this.state.listNext, query);
      if (gen !== this.listGeneration || filter !== this.state.filter) return;
      const convs = { ...this.state.convs };
      const unread = { ...this.state.unread };
      for (const s of res.conversations) {
        convs[s.id] = mergeSummary(convs[s.id], s);
        // The server counts unread messages up to the row's last_seq; live events beyond it are
        // counted here. A row older than what the events already showed keeps the local count.
        const counted = this.countedSeq.get(s.id);
        if (counted === undefined || counted <= s.last_seq) {
          this.countedSeq.set(s.id, s.last_seq);
          unread[s.id] = Math.max(0, Number(s.unread ?? 0));
        }
      }
      const ids = res.conversations.map((s) => s.id);
      const list = reset ? ids : [...this.state.list, ...ids.filter((id) => !this.state.list.includes(id))];
      this.set({ convs, unread, list: this.sorted(list, convs), listNext: res.next, listLoading: false, listQuery: query });
      if (typeof res.missed_count === 'number') this.set({ missedCount: res.missed_count });
      // Every live chat on screen streams its messages (for the unread badges).
      for (const s of res.conversations) if (s.status === 'active') this.ensureSubscribed(s.id);
      if (this.state.selectedId != null) this.markRead(this.state.selectedId);
    } catch (e) {
      if (gen !== this.listGeneration) return;
      this.set({ listLoading: false, listError: errorText(e) });
    }
  }

  /** Coalesces bursts of "something changed that the list does not know about" into one reload. */
  private refreshListSoon(): void {
    window.clearTimeout(this.listRefreshTimer);
    this.listRefreshTimer = window.setTimeout(() => void this.loadList(true), 300);
  }

  private sorted(ids: number[], convs: Record<number, Summary>): number[] {
    return ids
      .filter((id) => convs[id])
      .sort((a, b) => convs[b].last_activity_at - convs[a].last_activity_at || b - a);
  }

  private belongsInList(c: Conversation): boolean {
    // A missed chat is an ended one every agent sees (under All and Missed); a pending request
    // is the banner's, never a row.
    if (c.status === 'pending') return false;
    if (this.state.filter === 'active' && c.status !== 'active') return false;
    if (this.state.filter === 'missed' && c.status !== 'missed') return false;
    // Search results only change with a new search: a live update keeps a row, never adds one.
    if (this.state.listQuery) return this.state.list.includes(c.id);
    return true;
  }

  private isMineActive(c: Conversation): boolean {
    return c.status === 'active' && !!this.state.me && c.agent_id === this.state.me.id;
  }

  private upsertConversation(c: Conversation | Summary): void {
    const convs = { ...this.state.convs, [c.id]: mergeSummary(this.state.convs[c.id], c) };
    let list = this.state.list;
    if (this.belongsInList(c)) {
      if (!list.includes(c.id)) list = [...list, c.id];
    } else {
      list = list.filter((id) => id !== c.id);
    }
    // Messages that were there before we first saw the conversation are not "unread" news
    // (unless the server said so: a list row carries its own count).
    if (!this.countedSeq.has(c.id)) this.countedSeq.set(c.id, c.last_seq);
    this.set({ convs, list: this.sorted(list, convs) });
  }

  // ---- selection and history ------------------------------------------------------------

  async select(id: number | null): Promise<void> {
    if (id === this.state.selectedId && id != null && this.state.events[id]) return;
    const from = this.state.selectedId;
    this.set({ selectedId: id, infoOpen: id === from && this.state.infoOpen });
    const hash = id == null ? '' : `#/c/${id}`;
    if (location.hash !== hash) {
      // One pane at a time (a phone): list → chat is a step of its own, which the browser's Back undoes.
      if (id != null && from == null && isOnePane()) history.pushState({ pane: 'chat' }, '', location.pathname + location.search + hash);
      else history.replaceState(null, '', location.pathname + location.search + hash);
    }
    if (id == null) return;
    this.markRead(id);
    await Promise.all([this.loadDetail(id), this.loadHistory(id)]);
    if (this.isNotFound(id)) return; // not there, or not ours to see: nothing to follow
    this.ensureSubscribed(id);
    this.markRead(id);
  }

  /** The server answered 404 for this conversation: it does not exist or is not visible to us. */
  isNotFound(id: number): boolean {
    return this.state.details[id]?.error === 'not_found' || this.state.historyError[id] === NOT_FOUND;
  }

  async loadDetail(id: number): Promise<void> {
    const prev = this.state.details[id];
    this.set({ details: { ...this.state.details, [id]: { visitor: prev?.visitor ?? null, activities: prev?.activities ?? [], loading: true } } });
    try {
      const d = await api.conversation(id);
      this.upsertConversation(d.conversation);
      const patch: Partial<State> = {
        details: { ...this.state.details, [id]: { visitor: d.visitor, activities: sortActivities(d.activities), loading: false } },
      };
      if (d.visitor && (d.visitor.page_url || d.visitor.page_title)) {
        patch.page = { ...this.state.page, [id]: { url: d.visitor.page_url ?? null, title: d.visitor.page_title ?? null } };
      }
      if (d.read) {
        const seen = Number(d.read.visitor_seq) || 0;
        if (seen > (this.state.visitorRead[id] ?? 0)) patch.visitorRead = { ...this.state.visitorRead, [id]: seen };
        const mine = Number(d.read.agent_seq) || 0;
        if (this.isMine(d.conversation) && mine > (this.readSent.get(id) ?? 0)) this.readSent.set(id, mine);
      }
      this.set(patch);
    } catch (e) {
      const notFound = e instanceof ApiError && e.status === 404;
      this.set({
        details: {
          ...this.state.details,
          [id]: { visitor: prev?.visitor ?? null, activities: prev?.activities ?? [], loading: false, error: notFound ? 'not_found' : errorText(e) },
        },
      });
    }
  }

  /**
   * Opening a chat: its newest page (then older pages on scroll, see loadOlder). Once that page is
   * held, a later call (after End, or Retry) only reads what is newer than the highest seq held.
   */
  async loadHistory(id: number): Promise<void> {
    this.set({ historyLoading: { ...this.state.historyLoading, [id]: true }, historyError: { ...this.state.historyError, [id]: undefined } });
    try {
      if (this.pageLoaded.has(id) && this.state.events[id]?.length) await this.catchUp(id);
      else await this.placeNewest(id, await api.events(id, { limit: PAGE_SIZE }));
      // Followed (from its list row) after a seq this page did not reach yet: the socket sends
      // only what is newer than that, so read the few in between here.
      const from = this.liveFrom.get(id) ?? 0;
      const top = maxSeq(this.state.events[id]);
      if (top && from > top) this.addEvents(id, (await api.events(id, { after_seq: top, limit: Math.min(from - top, CATCH_UP_LIMIT) })).events ?? []);
      this.pageLoaded.add(id);
      if (!this.state.events[id]) this.set({ events: { ...this.state.events, [id]: [] } });
      this.set({ historyLoading: { ...this.state.historyLoading, [id]: false } });
    } catch (e) {
      const msg = e instanceof ApiError && e.status === 404 ? NOT_FOUND : errorText(e);
      this.set({ historyLoading: { ...this.state.historyLoading, [id]: false }, historyError: { ...this.state.historyError, [id]: msg } });
    }
  }

  /** Newer events than the highest held; far behind (over CATCH_UP_LIMIT), the newest page instead. */
  private async catchUp(id: number): Promise<void> {
    const page = await api.events(id, { after_seq: maxSeq(this.state.events[id]), limit: CATCH_UP_LIMIT });
    if (!page.has_more) {
      this.addEvents(id, page.events ?? []);
      return;
    }
    await this.placeNewest(id, await api.events(id, { limit: PAGE_SIZE }));
  }

  /**
   * Joins the newest page to what is held, keeping the held seqs one unbroken run (older pages
   * are read below its lowest seq, so a hole would never be filled): events that arrived live
   * just before it overlap or follow it; a run that ended more than a page ago is replaced by it.
   */
  private async placeNewest(id: number, page: EventsPage): Promise<void> {
    const got = page.events ?? [];
    const held = this.state.events[id] ?? [];
    if (!got.length) {
      this.addEvents(id, got, true);
      this.setOlder(id, held.length > 0 && held[0].seq > 1);
      return;
    }
    const lo = got[0].seq;
    const hi = got[got.length - 1].seq;
    if (held.length && held[0].seq > hi + 1) {
      // Live events newer than this (slow) page already began the run: read the page just below them.
      const below = await api.events(id, { before_seq: held[0].seq, limit: PAGE_SIZE });
      this.addEvents(id, below.events ?? [], true);
      this.setOlderFrom(id, below);
      return;
    }
    if (held.length && lo > maxSeq(held) + 1) {
      // Fell behind by more than a page: start again from this page (and anything newer held).
      this.set({ events: { ...this.state.events, [id]: held.filter((e) => e.seq > hi) } });
    }
    this.addEvents(id, got, true);
    this.setOlderFrom(id, page);
  }

  /** Whether older events exist, from a page read below (or as) the lowest seq held. */
  private setOlderFrom(id: number, page: EventsPage): void {
    const list = this.state.events[id] ?? [];
    const first = page.events?.[0]?.seq;
    // The page that reached the lowest seq held knows; otherwise seqs count from 1 (docs/api.md).
    this.setOlder(id, !list.length || first === undefined ? false : first === list[0].seq ? !!page.has_more : list[0].seq > 1);
  }

  private setOlder(id: number, older: boolean): void {
    if (this.state.olderExists[id] !== older) this.set({ olderExists: { ...this.state.olderExists, [id]: older } });
  }

  /** Beginning of the conversation reached after paging back (the timeline labels it). */
  reachedStart(id: number): boolean {
    return this.pagedBack.has(id) && this.state.olderExists[id] === false;
  }

  /** The page before the lowest seq held (the agent scrolled near the top of the timeline). */
  async loadOlder(id: number): Promise<void> {
    const list = this.state.events[id];
    if (!list?.length || !this.state.olderExists[id] || this.state.olderLoading[id]) return;
    const before = list[0].seq;
    this.pagedBack.add(id);
    this.set({ olderLoading: { ...this.state.olderLoading, [id]: true }, olderError: { ...this.state.olderError, [id]: undefined } });
    try {
      const page = await api.events(id, { before_seq: before, limit: PAGE_SIZE });
      this.addEvents(id, page.events ?? [], true);
      this.setOlderFrom(id, page);
      this.set({ olderLoading: { ...this.state.olderLoading, [id]: false } });
    } catch (e) {
      this.set({ olderLoading: { ...this.state.olderLoading, [id]: false }, olderError: { ...this.state.olderError, [id]: errorText(e) } });
    }
  }

  /** Where a subscription resumes: after the highest seq held, or where following began without history. */
  private resumeSeq(id: number): number {
    return Math.max(maxSeq(this.state.events[id]), this.liveFrom.get(id) ?? 0);
  }

  private ensureSubscribed(id: number): void {
    if (this.subscribed.has(id)) return;
    this.subscribed.add(id);
    // Without history (a list row, for its badge), only what comes after the row's last_seq.
    if (!this.state.events[id]?.length) this.liveFrom.set(id, this.state.convs[id]?.last_seq ?? 0);
    this.socket.send({ type: 'subscribe', conversation_id: id, after_seq: this.resumeSeq(id) });
  }

  /**
   * The agent is looking at this conversation (selected, Inbox page, tab visible): its badge goes
   * to zero and, for the agent's own chats, the newest seq shown is reported read (the visitor
   * then sees "Seen", and the server's unread count follows).
   */
  markRead(id: number): void {
    if (document.hidden || this.state.selectedId !== id || this.state.view !== 'inbox') return;
    if (this.state.unread[id]) this.set({ unread: { ...this.state.unread, [id]: 0 } });
    const conv = this.state.convs[id];
    const seq = maxSeq(this.state.events[id]);
    if (!conv || !seq || !this.isMine(conv)) return;
    if ((this.readSent.get(id) ?? 0) >= seq) return;
    this.readSent.set(id, seq);
    if (this.socket.send({ type: 'read', conversation_id: id, seq })) return;
    api.markRead(id, seq).catch(() => {
      if (this.readSent.get(id) === seq) this.readSent.delete(id); // told again next time
    });
  }

  unreadCount(id: number): number {
    return this.state.unread[id] ?? 0;
  }

  private isMine(c: Conversation): boolean {
    return !!this.state.me && c.agent_id === this.state.me.id;
  }

  /**
   * Merges events for a conversation and keeps the list row (snippet, time) in step. `history`:
   * read from a page (not news: the typing indicator stays).
   */
  private addEvents(id: number, incoming: ChatEvent[], history = false): void {
    const merged = mergeEvents(this.state.events[id], incoming);
    if (!merged) return;
    const patch: Partial<State> = { events: { ...this.state.events, [id]: merged } };

    // New visitor messages raise the badge (the agent's own chats; the server counts the same).
    // Only seqs beyond what is already counted: a replay after a (re)subscribe adds nothing.
    const counted = this.countedSeq.get(id);
    const top = merged[merged.length - 1].seq;
    if (counted !== undefined && top > counted) {
      this.countedSeq.set(id, top);
      const conv = this.state.convs[id];
      if (conv && this.isMine(conv)) {
        const fresh = new Set<number>();
        for (const e of incoming) if (e && e.seq > counted && e.kind === 'text' && e.sender === 'visitor') fresh.add(e.seq);
        if (fresh.size) patch.unread = { ...this.state.unread, [id]: (this.state.unread[id] ?? 0) + fresh.size };
      }
    }

    // Anything the server stored replaces the matching pending bubble.
    const pend = this.state.pending[id];
    if (pend && pend.length) {
      const stored = new Set(incoming.map((e) => e.client_id).filter(Boolean) as string[]);
      const rest = pend.filter((p) => !stored.has(p.client_id));
      if (rest.length !== pend.length) {
        for (const cid of stored) this.clearAckTimer(cid);
        patch.pending = { ...this.state.pending, [id]: rest };
      }
    }

    const conv = this.state.convs[id];
    if (conv) {
      const top = merged[merged.length - 1];
      let lastText = conv.last_text;
      for (let i = merged.length - 1; i >= 0; i--) {
        if (merged[i].kind === 'text') {
          lastText = merged[i].body;
          break;
        }
      }
      if (top.seq > conv.last_seq || lastText !== conv.last_text) {
        const updated: Summary = {
          ...conv,
          last_seq: Math.max(conv.last_seq, top.seq),
          last_activity_at: Math.max(conv.last_activity_at, top.created_at),
          last_text: lastText,
        };
        const convs = { ...this.state.convs, [id]: updated };
        patch.convs = convs;
        patch.list = this.sorted(this.state.list, convs);
      }
    }
    // A visitor message clears their typing indicator.
    if (!history && incoming.some((e) => e.sender === 'visitor') && this.state.typingUntil[id]) {
      patch.typingUntil = { ...this.state.typingUntil, [id]: 0 };
    }
    this.set(patch);
    this.markRead(id);
  }

  // ---- realtime -------------------------------------------------------------------------

  private onSocketReady(): void {
    for (const id of this.subscribed) {
      this.socket.send({ type: 'subscribe', conversation_id: id, after_seq: this.resumeSeq(id) });
    }
    // Whatever was sent while offline (or not yet acknowledged) goes again with the same client_id.
    for (const [cid, list] of Object.entries(this.state.pending)) {
      for (const p of list) if (p.status === 'sending') this.transmit(Number(cid), p);
    }
    // After a reconnect we may have missed list changes and availability flips.
    // (The first connect follows the initial REST load, which is fresh already.)
    const reconnect = this.connectedBefore;
    this.connectedBefore = true;
    if (!reconnect) return;
    // A read frame sent just before the drop may be lost: say it again.
    this.readSent.clear();
    void this.loadList(true);
    api.me().then(
      (r) => this.set({ me: r.agent }),
      () => undefined,
    );
    if (this.state.selectedId != null) void this.loadDetail(this.state.selectedId);
    if (this.state.team) void this.loadTeam();
  }

  private onFrame(f: ServerFrame): void {
    switch (f.type) {
      case 'event': {
        const id = f.conversation_id ?? f.event?.conversation_id;
        if (id == null || !f.event) return;
        this.addEvents(id, [f.event]);
        if (f.event.kind === 'chat.ended' || f.event.kind === 'chat.accepted') {
          if (this.state.selectedId === id) void this.loadDetail(id);
        }
        // A meeting is also a new activity in the visitor's history.
        if (isMeetingKind(f.event.kind) && this.state.selectedId === id) this.loadDetailSoon(id);
        if (!this.state.convs[id]) this.refreshListSoon();
        return;
      }
      case 'subscribed': {
        // The replay of everything after `after_seq` follows; it is complete once head_seq is held.
        const id = f.conversation_id;
        const head = Number(f.head_seq);
        if (id == null || !Number.isFinite(head)) return;
        if (this.state.replayHead[id] !== head) this.set({ replayHead: { ...this.state.replayHead, [id]: head } });
        return;
      }
      case 'message.ack': {
        if (!f.event) return;
        this.clearAckTimer(f.client_id);
        const id = f.event.conversation_id;
        this.addEvents(id, [f.event]);
        const pend = this.state.pending[id];
        if (pend?.some((p) => p.client_id === f.client_id)) {
          this.set({ pending: { ...this.state.pending, [id]: pend.filter((p) => p.client_id !== f.client_id) } });
        }
        return;
      }
      case 'conversation.updated': {
        const c = f.conversation;
        if (!c) return;
        const before = this.state.convs[c.id];
        this.upsertConversation(c);
        if (c.status === 'missed') this.onMissed(c, before);
        if (c.status !== 'pending' || (this.state.me && c.agent_id !== this.state.me.id)) this.resolveRequest(c);
        if (this.isMineActive(c) || (c.status === 'active' && this.state.list.includes(c.id))) this.ensureSubscribed(c.id);
        if (before && before.status !== c.status && this.state.selectedId === c.id) void this.loadDetail(c.id);
        return;
      }
      case 'chat.requested': {
        const c = f.conversation;
        if (!c) return;
        const held = this.state.requests.find((r) => r.conversation.id === c.id);
        if (held && held.state !== 'taken') {
          // Re-sent after a reconnect: the same offer (maybe a new deadline), not a new alert.
          this.set({ requests: this.state.requests.map((r) => (r === held ? { ...r, conversation: { ...r.conversation, ...c }, visitor: f.visitor ?? r.visitor } : r)) });
          return;
        }
        const req: ChatRequest = { conversation: c, visitor: f.visitor, state: 'offered', gen: ++this.requestGen };
        this.set({ requests: [...this.state.requests.filter((r) => r.conversation.id !== c.id), req] });
        const name = f.visitor?.name || c.visitor_name || t('alert.aVisitor');
        const body = f.visitor?.email ? `${name} · ${f.visitor.email}` : name;
        showRequestNotification(c.id, body, () => this.focusRequest(c.id));
        return;
      }
      case 'offer.withdrawn': {
        const text =
          f.reason === 'timeout'
            ? t('request.timedOutPassed')
            : f.reason === 'cancelled'
              ? t('request.visitorCancelled')
              : f.reason === 'declined'
                ? t('request.passedOn')
                : t('request.notYours');
        this.retireRequest(f.conversation_id, text, String(f.reason ?? 'gone'));
        return;
      }
      case 'agent.status':
        if (!f.agent) return;
        if (!this.state.me || f.agent.id === this.state.me.id) this.set({ me: { ...(this.state.me ?? {}), ...f.agent } });
        this.updateTeamMember(f.agent);
        return;
      case 'read': {
        const id = f.conversation_id;
        const seq = Number(f.seq) || 0;
        if (id == null || !seq) return;
        if (f.reader === 'visitor') {
          if (seq > (this.state.visitorRead[id] ?? 0)) this.set({ visitorRead: { ...this.state.visitorRead, [id]: seq } });
        } else if (f.reader === 'agent') {
          // This agent read it in another tab (or our own frame coming back): the badge follows.
          const conv = this.state.convs[id];
          if (conv && this.isMine(conv) && seq > (this.readSent.get(id) ?? 0)) this.readSent.set(id, seq);
          if (this.state.unread[id] && seq >= (this.countedSeq.get(id) ?? Infinity)) this.set({ unread: { ...this.state.unread, [id]: 0 } });
        }
        return;
      }
      case 'visitor.page': {
        const id = f.conversation_id;
        if (id == null || typeof f.url !== 'string') return;
        this.set({ page: { ...this.state.page, [id]: { url: f.url, title: f.title ?? null } } });
        // A page visit is also a new activity: refresh the open visitor's history (coalesced).
        if (this.state.selectedId === id) this.loadDetailSoon(id);
        return;
      }
      case 'meeting.booked':
      case 'meeting.rescheduled':
      case 'meeting.cancelled':
        this.onMeetingFrame(f.type, f.meeting);
        return;
      case 'typing':
        if (f.sender === 'visitor') {
          this.set({ typingUntil: { ...this.state.typingUntil, [f.conversation_id]: Date.now() + TYPING_SHOWN_MS } });
          window.setTimeout(() => this.set({}), TYPING_SHOWN_MS + 50);
        }
        return;
      case 'error': {
        const ref = f.ref == null ? '' : String(f.ref);
        for (const [cid, list] of Object.entries(this.state.pending)) {
          if (list.some((p) => p.client_id === ref)) {
            this.clearAckTimer(ref);
            this.failPending(Number(cid), ref, sendErrorText(f.code, f.message, f.retry_after_ms));
            return;
          }
        }
        if (ref === 'chat.pass_on' && f.conversation_id != null) {
          const code = String(f.code ?? '');
          this.onPassOnError(Number(f.conversation_id), code, language() === 'sv' && LOCALIZED_CODES.has(code) ? t(`error.${code}`) : String(f.message ?? ''));
          return;
        }
        if (f.code === 'unauthorized') void this.boot();
        return;
      }
      default:
        return;
    }
  }

  private loadDetailSoon(id: number): void {
    window.clearTimeout(this.detailTimers.get(id));
    this.detailTimers.set(
      id,
      window.setTimeout(() => {
        this.detailTimers.delete(id);
        if (this.state.selectedId === id) void this.loadDetail(id);
      }, 400),
    );
  }

  /** A request we were offered moved on (accepted here or elsewhere, re-offered, missed, cancelled). */
  private resolveRequest(c: Conversation): void {
    const req = this.state.requests.find((r) => r.conversation.id === c.id);
    if (!req || req.state === 'accepting') return;
    const mine = !!this.state.me && c.agent_id === this.state.me.id && c.status === 'active';
    if (mine) {
      closeRequestNotification(c.id);
      this.set({ requests: this.state.requests.filter((r) => r.conversation.id !== c.id) });
      return;
    }
    if (req.state === 'taken') {
      // Already explained (e.g. timed out); only sharpen the note when we learn the outcome.
      if (req.reason === 'timeout' && c.status === 'missed') this.retireRequest(c.id, t('request.timedOutFallback'), 'timeout');
      return;
    }
    if (c.status === 'active') this.retireRequest(c.id, t('request.taken'), 'taken');
    else if (c.status === 'pending') this.retireRequest(c.id, t('request.passed'), 'taken');
    else this.retireRequest(c.id, t('request.gone'), 'gone');
  }

  /** Turns the banner into a short note, then removes it (unless it was offered again meanwhile). */
  private retireRequest(id: number, message: string, reason: string): void {
    const req = this.state.requests.find((r) => r.conversation.id === id);
    if (!req) return;
    closeRequestNotification(id);
    const gen = req.state === 'taken' ? req.gen : ++this.requestGen;
    this.set({ requests: this.state.requests.map((r) => (r.conversation.id === id ? { ...r, state: 'taken', message, reason, gen } : r)) });
    window.setTimeout(() => {
      if (this.state.requests.some((r) => r.conversation.id === id && r.gen === gen && r.state === 'taken')) {
        this.set({ requests: this.state.requests.filter((r) => !(r.conversation.id === id && r.gen === gen)) });
      }
    }, 4500);
  }

  /** A notification was clicked: bring the request banner into view with Accept focused. */
  focusRequest(id: number): void {
    window.clearTimeout(this.focusTimer);
    this.set({ focusRequestId: id });
    this.focusTimer = window.setTimeout(() => this.set({ focusRequestId: null }), 2500);
  }

  async accept(id: number): Promise<void> {
    const req = this.state.requests.find((r) => r.conversation.id === id);
    if (!req || req.state !== 'offered') return;
    this.set({ requests: this.state.requests.map((r) => (r.conversation.id === id ? { ...r, state: 'accepting' } : r)) });
    closeRequestNotification(id);
    try {
      const { conversation } = await api.accept(id);
      this.set({ requests: this.state.requests.filter((r) => r.conversation.id !== id) });
      this.upsertConversation(conversation);
      if (this.state.view !== 'inbox') this.navigate('inbox');
      await this.select(id);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 409 || e.status === 404)) {
        this.retireRequest(id, e.status === 409 ? t('request.taken') : t('request.gone'), 'taken');
      } else {
        this.set({ requests: this.state.requests.map((r) => (r.conversation.id === id ? { ...r, state: 'offered' } : r)) });
        this.notify('error', t('request.acceptFailed', { error: errorText(e) }));
      }
    }
  }

  /**
   * "Pass on": routing offers the request to the next agent at once (never back to me this
   * round). Over the socket (chat.pass_on), answered by offer.withdrawn "declined" or an error
   * frame (onPassOnError); through REST when the socket is down.
   */
  async passOn(id: number): Promise<void> {
    const req = this.state.requests.find((r) => r.conversation.id === id);
    if (!req || req.state !== 'offered') return;
    closeRequestNotification(id);
    this.setRequestState(id, 'passing');
    if (this.socket.send({ type: 'chat.pass_on', conversation_id: id })) {
      // No answer at all (a socket that died after the send): let the agent try again.
      window.setTimeout(() => {
        if (this.state.requests.some((r) => r.conversation.id === id && r.state === 'passing')) {
          this.setRequestState(id, 'offered');
          this.notify('error', t('request.passOnFailed', { error: t('error.network') }));
        }
      }, PASS_ON_ANSWER_MS);
      return;
    }
    try {
      await api.passOn(id);
      this.retireRequest(id, t('request.passedOn'), 'declined');
    } catch (e) {
      this.onPassOnError(id, e instanceof ApiError && e.status === 404 ? 'not_found' : '', errorText(e));
    }
  }

  private setRequestState(id: number, state: 'offered' | 'passing'): void {
    this.set({ requests: this.state.requests.map((r) => (r.conversation.id === id ? { ...r, state } : r)) });
  }

  /** Pass on was refused: not_found means the request is no longer mine (it moved on or ended). */
  private onPassOnError(id: number, code: string, message: string): void {
    if (code === 'not_found') {
      this.retireRequest(id, t('request.gone'), 'gone');
      return;
    }
    if (this.state.requests.some((r) => r.conversation.id === id && r.state === 'passing')) this.setRequestState(id, 'offered');
    this.notify('error', t('request.passOnFailed', { error: message }));
  }

  /**
   * A chat became missed (or a missed one changed: claimed, released, done). The first time,
   * an available agent is told (a notice); the Missed count follows every change.
   */
  private onMissed(c: Conversation, before: Summary | undefined): void {
    window.clearTimeout(this.missedCountTimer);
    this.missedCountTimer = window.setTimeout(() => void this.refreshMissedCount(), 200);
    if (before?.status === 'missed' || this.missedSeen.has(c.id)) return;
    this.missedSeen.add(c.id);
    if (!this.state.me?.status?.available) return;
    const name = c.visitor_name || t('alert.aVisitor');
    this.notify('info', t('missed.alert', { name }));
  }

  private missedSeen = new Set<number>();
  private missedCountTimer = 0;

  async refreshMissedCount(): Promise<void> {
    try {
      const res = await api.conversations('missed', null, '', 1);
      if (typeof res.missed_count === 'number') this.set({ missedCount: res.missed_count });
    } catch {
      // The next list load brings it.
    }
  }

  /** Claim, release or finish the follow-up of a missed chat; the list shows the change to everyone. */
  async followup(id: number, action: 'claim' | 'release' | 'done'): Promise<void> {
    try {
      const { conversation } = await api.followup(id, action);
      this.upsertConversation(conversation);
      void this.refreshMissedCount();
    } catch (e) {
      this.notify('error', t('followup.failed', { error: errorText(e) }));
      if (e instanceof ApiError && e.status === 409) void this.loadList(true);
    }
  }

  dismissRequest(id: number): void {
    closeRequestNotification(id);
    this.set({ requests: this.state.requests.filter((r) => r.conversation.id !== id) });
  }

  async end(id: number): Promise<void> {
    if (this.state.ending[id]) return;
    this.set({ ending: { ...this.state.ending, [id]: true } });
    try {
      const { conversation } = await api.end(id);
      this.upsertConversation(conversation);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) this.notify('error', t('session.endFailed', { error: errorText(e) }));
    } finally {
      this.set({ ending: { ...this.state.ending, [id]: false } });
    }
    void this.loadDetail(id);
    void this.loadHistory(id);
  }

  // ---- sending --------------------------------------------------------------------------

  /** Returns an error text to show in the composer, or null when the message is on its way. */
  send(id: number, text: string): string | null {
    const body = text.trim();
    if (!body) return null;
    if (new TextEncoder().encode(body).length > MAX_BODY_BYTES) return t('send.tooLong', { limit: charsText(MAX_BODY_BYTES) });
    const conv = this.state.convs[id];
    if (conv && conv.status !== 'active') return t('send.notActive');
    const p: PendingMessage = { client_id: newClientId(), body, created_at: Date.now(), status: 'sending' };
    this.set({ pending: { ...this.state.pending, [id]: [...(this.state.pending[id] ?? []), p] } });
    this.transmit(id, p);
    this.lastTypingSent.delete(id);
    return null;
  }

  retry(id: number, client_id: string): void {
    const p = this.state.pending[id]?.find((x) => x.client_id === client_id);
    if (!p) return;
    const again: PendingMessage = { ...p, status: 'sending', error: undefined };
    this.set({ pending: { ...this.state.pending, [id]: this.state.pending[id].map((x) => (x.client_id === client_id ? again : x)) } });
    this.transmit(id, again);
  }

  discard(id: number, client_id: string): void {
    this.clearAckTimer(client_id);
    this.set({ pending: { ...this.state.pending, [id]: (this.state.pending[id] ?? []).filter((x) => x.client_id !== client_id) } });
  }

  /**
   * Over the socket when it is up (ack expected), otherwise over REST. Either way the same
   * client_id is used, so a retry after a lost ack is stored once.
   */
  private transmit(id: number, p: PendingMessage): void {
    this.clearAckTimer(p.client_id);
    if (this.socket.send({ type: 'message.send', conversation_id: id, client_id: p.client_id, body: p.body })) {
      this.ackTimers.set(
        p.client_id,
        window.setTimeout(() => {
          this.ackTimers.delete(p.client_id);
          void this.sendRest(id, p);
        }, ACK_TIMEOUT_MS),
      );
    } else {
      void this.sendRest(id, p);
    }
  }

  private async sendRest(id: number, p: PendingMessage): Promise<void> {
    try {
      const { event } = await api.send(id, p.client_id, p.body);
      this.clearAckTimer(p.client_id);
      this.addEvents(id, [event]);
      this.discard(id, p.client_id);
    } catch (e) {
      if (!this.state.pending[id]?.some((x) => x.client_id === p.client_id)) return; // acked meanwhile
      if (e instanceof ApiError && e.status === 0) return; // offline: the reconnect flush retries it
      this.failPending(id, p.client_id, e instanceof ApiError ? sendErrorText(e.code, e.message, e.data?.retry_after_ms) : errorText(e));
    }
  }

  private failPending(id: number, client_id: string, error: string): void {
    this.set({
      pending: {
        ...this.state.pending,
        [id]: (this.state.pending[id] ?? []).map((x) => (x.client_id === client_id ? { ...x, status: 'failed', error } : x)),
      },
    });
  }

  private clearAckTimer(client_id: string): void {
    const t = this.ackTimers.get(client_id);
    if (t !== undefined) {
      window.clearTimeout(t);
      this.ackTimers.delete(client_id);
    }
  }

  /** Tells the visitor the agent is typing; throttled. */
  typing(id: number): void {
    const now = Date.now();
    if (now - (this.lastTypingSent.get(id) ?? 0) < TYPING_SEND_EVERY_MS) return;
    this.lastTypingSent.set(id, now);
    this.socket.send({ type: 'typing', conversation_id: id });
  }
}

const STATUS_RANK: Record<string, number> = { pending: 0, active: 1, ended: 2, missed: 2 };

function mergeSummary(prev: Summary | undefined, next: Conversation | Summary): Summary {
  // Statuses only move forward; a stale snapshot must not revive an ended chat.
  if (prev && (STATUS_RANK[prev.status] ?? 0) > (STATUS_RANK[next.status] ?? 0)) {
    next = { ...next, status: prev.status, ended_at: prev.ended_at, end_reason: prev.end_reason };
  }
  const last_text = 'last_text' in next && next.last_text !== undefined ? next.last_text : prev?.last_text ?? null;
  const merged: Summary = { ...(prev ?? ({} as Summary)), ...next, last_text };
  if (prev) {
    // Never go back in time because an older snapshot arrived after a live update.
    merged.last_seq = Math.max(prev.last_seq, next.last_seq);
    merged.last_activity_at = Math.max(prev.last_activity_at, next.last_activity_at);
    if (prev.last_seq > next.last_seq) merged.last_text = prev.last_text;
  }
  return merged;
}

/** Newest start first (as the server sends them), ties by id. */
function sortMeetings(list: Meeting[]): Meeting[] {
  return list.slice().sort((a, b) => b.start - a.start || b.id - a.id);
}

function sortActivities(list: Activity[]): Activity[] {
  return (list ?? []).slice().sort((a, b) => b.at - a.at || b.id - a.id);
}

function viewFromPath(path: string): View {
  const p = path.replace(/\/+$/, '');
  if (p === '/inbox/settings/calendar') return 'calendar';
  if (p === '/inbox/meetings') return 'meetings';
  if (p === '/inbox/settings/team') return 'team';
  if (p === '/inbox/settings/workspace') return 'workspace';
  if (p === '/inbox/settings/routing') return 'routing';
  if (p === '/inbox/settings') return 'settings';
  return 'inbox';
}

function normalizeRouting(r: Partial<Routing> | null | undefined): Routing {
  return {
    accounts: r?.accounts ?? [],
    custom: (r?.custom ?? []).map((c) => ({ ...c, conditions: c.conditions ?? [], agent_id: c.agent_id ?? null, team: c.team ?? null })),
    teams: (r?.teams ?? []).map((t) => ({ ...t, members: t.members ?? [] })),
    default_team: r?.default_team ?? null,
  };
}

/** historyError value of a conversation the server answers 404 for. */
export const NOT_FOUND = 'not_found';

function parseHash(): number | null {
  const m = /^#\/c\/(\d+)$/.exec(location.hash);
  return m ? Number(m[1]) : null;
}

// An error as the agent reads it. English shows the server's own message (written for people);
// Swedish shows its own text per error code, and the server's message where it has none (a 400
// says exactly which field is wrong, which a generic text would lose).
const LOCALIZED_CODES = new Set(['network', 'forbidden', 'not_found', 'conflict', 'too_many_requests', 'payload_too_large', 'unauthorized']);

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (language() === 'sv') {
      if (LOCALIZED_CODES.has(e.code)) return t(`error.${e.code}`);
      if (e.status >= 500) return t('error.server');
    }
    if (e.code === 'network') return t('error.network');
    return e.message || t('error.requestFailed', { status: e.status });
  }
  if (e instanceof Error) return e.message;
  return t('error.generic');
}

function sendErrorText(code: string, message: string, retryAfterMs?: unknown): string {
  if (code === 'conflict') return t('send.ended');
  if (code === 'payload_too_large') return t('send.payloadTooLarge');
  if (code === 'too_many_requests') return t('send.tooMany', { wait: retryWait(retryAfterMs) });
  return message || t('chat.notSent');
}

/** "in 30 seconds" from a 429's retry_after_ms (docs/api.md, "Limits"); "in a moment" without one. */
function retryWait(ms: unknown): string {
  const s = Math.ceil(Number(ms) / 1000);
  if (!Number.isFinite(s) || s <= 0) return t('wait.moment');
  return s < 90 ? t('wait.seconds', { count: s }) : t('wait.minutes', { count: Math.ceil(s / 60) });
}
